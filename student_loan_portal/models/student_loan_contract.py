from odoo import models


class StudentLoanContract(models.Model):
    _name = "student.loan.contract"
    _inherit = ["student.loan.contract", "portal.mixin"]

    def _compute_access_url(self):
        super()._compute_access_url()
        for contract in self:
            contract.access_url = f"/my/contracts/{contract.id}"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Loan Contract %s", self.name)

    def _portal_pdf_available(self):
        """The contract can be downloaded once it exists and is not cancelled."""
        self.ensure_one()
        return self.state != "cancelled"
