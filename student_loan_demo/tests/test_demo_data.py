"""The demo addon: its builders are models of this addon only, they build the demo the tours and
screenshots use, and Odoo's own English demo does not show to a centre user working in Chinese."""

import re

from odoo.tests import HttpCase, TransactionCase, tagged

ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,'’]+[A-Za-z]{2,}){2,}")
DEMO_MODELS = ("student.loan.demo", "student.loan.intake.demo")


class ChineseDemoMixin:
    """The demo users working in Chinese, as make run has them (make test loads no language)."""

    @classmethod
    def setup_chinese(cls):
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(["zh_CN"])
        cls.handler = cls.env.ref("student_loan.demo_user_handler_ss")
        cls.province = cls.env.ref("student_loan.demo_user_province")
        (cls.handler | cls.province).write({"lang": "zh_CN"})


@tagged("post_install", "-at_install")
class TestDemoAddon(ChineseDemoMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chinese()

    def test_builders_belong_to_the_demo_addon_only(self):
        """A database with the functional addons only (production, --without-demo=all) has no
        builder model: the models are defined by this addon alone, and no other addon depends on it."""
        models = self.env["ir.model"].search([("model", "in", DEMO_MODELS)])
        self.assertEqual(sorted(models.mapped("model")), sorted(DEMO_MODELS))
        for model in models:
            self.assertEqual(model.modules, "student_loan_demo", model.model)
        owners = self.env["ir.model.data"].search([("model", "=", "ir.model"), ("res_id", "in", models.ids)])
        self.assertEqual(set(owners.mapped("module")), {"student_loan_demo"})
        dependants = self.env["ir.module.module.dependency"].search([("name", "=", "student_loan_demo")])
        self.assertFalse(dependants.module_id, "no addon may depend on the demo addon")
        demo = self.env["ir.module.module"].search([("name", "=", "student_loan_demo")])
        self.assertFalse(demo.auto_install)
        # the competition builder is a method this addon adds, not one of the event addon
        self.assertEqual(
            type(self.env["student.loan.competition"])._demo_load_sample.__module__,
            "odoo.addons.student_loan_demo.models.student_loan_competition_demo",
        )

    def test_demo_is_built(self):
        """The demo the README's logins and screenshots rely on: applications in every state, the
        portal logins, the 卫辉市 competition with its ceremony, the 淅川县 intake hall."""
        env = self.env
        shangshui = env.ref("student_loan.centre_411623")
        states = set(env["student.loan.application"].search([("centre_id", "=", shangshui.id)]).mapped("state"))
        self.assertTrue({"draft", "submitted", "checked", "approved", "bank", "confirmed", "returned"} <= states)
        portal_user = env["res.users"].search([("login", "=", "student_wxm")])
        student = env["student.loan.student"].search([("user_id", "=", portal_user.id)])
        self.assertEqual(student.name, "王小明")
        weihui, xichuan = env.ref("student_loan.centre_410781"), env.ref("student_loan.centre_411326")
        competition = env["student.loan.competition"].search([("centre_id", "=", weihui.id)])
        self.assertEqual(len(competition), 1)
        self.assertTrue(competition.event_ids)
        self.assertTrue(env["student.loan.intake.roster"].search_count([("centre_id", "=", xichuan.id)]))

    def test_builders_run_once(self):
        """Installing the addon into a database whose demo exists already builds nothing twice."""
        counts = (
            self.env["student.loan.student"].search_count([]),
            self.env["student.loan.intake.roster"].search_count([]),
            self.env["student.loan.competition"].search_count([]),
        )
        self.env["student.loan.demo"]._create_demo_data()
        self.env["student.loan.student"]._portal_demo_accounts()
        self.env["student.loan.competition"]._demo_load_sample()
        self.env["student.loan.intake.demo"]._create_demo_data()
        self.assertEqual(
            counts,
            (
                self.env["student.loan.student"].search_count([]),
                self.env["student.loan.intake.roster"].search_count([]),
                self.env["student.loan.competition"].search_count([]),
            ),
        )

    def test_odoo_demo_is_chinese_or_archived(self):
        """What a centre user could meet of Odoo's own demo: the events, the sample companies and
        people, Discuss's channels and messages."""
        env = self.env(context={"lang": "zh_CN"})
        user, province = self.handler, self.province
        # a county sees the events of no centre (Odoo's) and its own; the province every event
        self.assertFalse(env(user=user)["event.event"].search([]))
        events = env(user=province)["event.event"].search([])
        self.assertTrue(events)
        self.assertFalse(events.filtered(lambda event: event.name.isascii() or ENGLISH_SENTENCE.search(event.name)))
        partners = env(user=user)["res.partner"].search([])
        self.assertFalse([name for name in partners.mapped("name") if name and name.isascii()])
        channels = env["discuss.channel"].search([("channel_member_ids.partner_id", "=", user.partner_id.id)])
        self.assertIn(env.ref("mail.channel_all_employees"), channels)
        for channel in channels:
            self.assertFalse(ENGLISH_SENTENCE.search(channel.name), channel.name)
            for message in channel.message_ids:
                text = re.sub(r"<[^>]+>", " ", str(message.body or "")) + " " + (message.subject or "")
                self.assertFalse(ENGLISH_SENTENCE.search(text), text)


@tagged("post_install", "-at_install")
class TestDemoChineseTour(ChineseDemoMixin, HttpCase):
    """In Chromium, as demo centre users in Chinese: Discuss (a county's handler) and the event app (the
    province, who sees every centre's events) show no English sentence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chinese()

    def test_discuss_and_events_in_chinese(self):
        self.start_tour("/odoo/discuss", "student_loan_demo_discuss_tour", login=self.handler.login)
        self.start_tour(
            "/odoo/action-event.action_event_view", "student_loan_demo_events_tour", login=self.province.login
        )
