from pathlib import Path

import polib

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import StudentLoanReportCase


@tagged("post_install", "-at_install")
class TestAccessViewsMenus(StudentLoanReportCase):
    """Access rights per role, the views, the menus under Reporting and the zh_CN translation."""

    def test_access_rights_per_role(self):
        for user in (self.city_viewer, self.handler, self.supervisor, self.bank, self.admin):
            Statistics = self.env["student.loan.statistics"].with_user(user)
            self.assertTrue(Statistics.has_access("read"))
            self.assertFalse(Statistics.has_access("write"))
            self.assertTrue(self.env["student.loan.statistics.wizard"].with_user(user).has_access("create"))
        WorkLog = self.env["student.loan.work.log"]
        self.assertFalse(WorkLog.with_user(self.city_viewer).has_access("create"))
        self.assertFalse(WorkLog.with_user(self.bank).has_access("write"))
        self.assertTrue(WorkLog.with_user(self.handler).has_access("create"))
        self.assertFalse(WorkLog.with_user(self.supervisor).has_access("unlink"))
        self.assertTrue(WorkLog.with_user(self.admin).has_access("unlink"))
        with self.assertRaises(AccessError):
            WorkLog.with_user(self.city_viewer).create({"centre_id": self.city.id})
        portal = (
            self.env["res.users"]
            .sudo()
            .create(
                {
                    "name": "Portal Student",
                    "login": "sl_portal_report",
                    "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
                }
            )
        )
        self.assertFalse(self.env["student.loan.statistics"].with_user(portal).has_access("read"))

    def test_views_load(self):
        Statistics = self.env["student.loan.statistics"].with_user(self.city_viewer)
        views = Statistics.get_views([(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")])
        self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "search"})
        wizard_views = (
            self.env["student.loan.statistics.wizard"]
            .with_user(self.city_viewer)
            .get_views(
                [
                    (self.env.ref("student_loan_report.student_loan_statistics_wizard_view_form_dashboard").id, "form"),
                ]
            )
        )
        self.assertIn("table_html", wizard_views["views"]["form"]["arch"])
        log_views = (
            self.env["student.loan.work.log"]
            .with_user(self.handler)
            .get_views([(False, "list"), (False, "form"), (False, "pivot"), (False, "graph"), (False, "search")])
        )
        self.assertIn("narrative", log_views["views"]["form"]["arch"])

    def test_menus_under_reporting(self):
        reporting = self.env.ref("student_loan.student_loan_menu_reporting")
        names = [
            "student_loan_report.student_loan_statistics_dashboard_menu",
            "student_loan_report.student_loan_statistics_menu",
            "student_loan_report.student_loan_statistics_export_menu",
            "student_loan_report.student_loan_work_log_menu",
            "student_loan_report.student_loan_work_log_summary_menu",
        ]
        for name in names:
            self.assertEqual(self.env.ref(name).parent_id, reporting)
        visible = self.env["ir.ui.menu"].with_user(self.city_viewer)._visible_menu_ids()
        self.assertIn(self.env.ref(names[0]).id, visible)

    def test_dashboard_action_opens_the_form(self):
        Actions = self.env["ir.actions.act_window"]
        action = Actions._for_xml_id("student_loan_report.student_loan_statistics_dashboard_action")
        self.assertEqual((action["res_model"], action["view_mode"]), ("student.loan.statistics.wizard", "form"))
        action = Actions._for_xml_id("student_loan_report.student_loan_statistics_action")
        self.assertTrue(action["view_mode"].startswith("pivot"))

    def test_dashboard_menu_opens_a_saved_dashboard(self):
        menu = self.env.ref("student_loan_report.student_loan_statistics_dashboard_menu")
        self.assertEqual(
            menu.action, self.env.ref("student_loan_report.student_loan_statistics_dashboard_server_action")
        )
        action = menu.action.with_user(self.city_viewer).run()
        self.assertEqual(action["res_model"], "student.loan.statistics.wizard")
        dashboard = self.env["student.loan.statistics.wizard"].with_user(self.city_viewer).browse(action["res_id"])
        self.assertTrue(dashboard.exists())
        self.assertEqual(dashboard.as_of, fields.Date.context_today(dashboard))
        self.assertIn("周口市", str(dashboard.table_html))

    def test_zh_cn_translation_complete(self):
        po = polib.pofile(str(Path(__file__).resolve().parents[1] / "i18n" / "zh_CN.po"))
        self.assertGreater(len(po), 100)
        self.assertEqual([entry.msgid for entry in po.untranslated_entries()], [])
        self.assertEqual(po.metadata.get("Language"), "zh_CN")
        dashboard = next(entry for entry in po if entry.msgid == "Statistics Dashboard")
        self.assertEqual(dashboard.msgstr, "统计看板")
