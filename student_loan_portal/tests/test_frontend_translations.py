from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalFrontendTranslations(HttpCase):
    """The portal's pages get the Chinese JS terms of this addon (the chatter's: student_loan/tests/test_i18n.py)."""

    def test_frontend_translations_cover_the_portal(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        response = self.url_open("/website/translations/any?lang=zh_CN", timeout=120)
        self.assertEqual(response.status_code, 200)
        modules = response.json()["modules"]
        portal = {message["id"]: message["string"] for message in modules["student_loan_portal"]["messages"]}
        self.assertEqual(portal.get("Choose…"), "请选择…")
