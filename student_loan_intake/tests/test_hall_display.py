"""The intake hall's waiting-room display is one click away in the intake menu, for the user's own hall."""

from odoo.tests import HttpCase, tagged

from .common import IntakeCase


@tagged("post_install", "-at_install")
class TestHallDisplayMenu(HttpCase, IntakeCase):
    def test_intake_menu_opens_the_hall_display(self):
        menu = self.env.ref("student_loan_intake.student_loan_intake_hall_display_menu")
        self.assertEqual(menu.parent_id, self.env.ref("student_loan_intake.student_loan_intake_menu"))
        self.assertEqual((menu.action.url, menu.action.target), ("/intake/display", "new"))
        for user in (self.volunteer, self.handler):
            with self.subTest(user=user.login):
                self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(user)._visible_menu_ids())
                self.authenticate(user.login, user.login)
                page = self.url_open("/intake/display", allow_redirects=False)
                self.assertEqual(page.status_code, 303)
                self.assertTrue(page.headers["Location"].endswith(f"/intake/display/{self.county.code}"))
        self.authenticate(self.volunteer_b.login, self.volunteer_b.login)
        page = self.url_open("/intake/display", allow_redirects=False)
        self.assertTrue(page.headers["Location"].endswith(f"/intake/display/{self.county_b.code}"))
