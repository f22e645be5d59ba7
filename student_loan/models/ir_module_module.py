from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Also translate what the .po files cannot reach (attachment rules created inside policies)."""
        result = super()._load_module_terms(modules, langs, overwrite=overwrite, imported_module=imported_module)
        if "student_loan" in modules:
            self.env["student.loan.attachment.rule"]._translate_default_names(langs)
        return result
