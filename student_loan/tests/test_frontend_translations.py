from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestFrontendTranslations(TransactionCase):
    """The portal pages load the JS translations of the project addons: their names are read once per
    registry, not on every page (a search of the installed modules on every request before)."""

    def test_project_addons_read_once(self):
        IrHttp = self.env["ir.http"]
        IrHttp.env.registry.clear_cache()
        modules = IrHttp._sl_frontend_modules()
        self.assertIn("student_loan", modules)
        self.assertEqual([name for name in modules if not name.startswith("student_loan")], [])
        self.assertEqual(list(modules), sorted(modules))
        with self.assertQueryCount(0):
            self.assertEqual(IrHttp._sl_frontend_modules(), modules)
