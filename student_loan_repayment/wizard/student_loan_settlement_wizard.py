from odoo import api, fields, models
from odoo.exceptions import UserError


class StudentLoanSettlementWizard(models.TransientModel):
    """Starts the interest settlement (结息) now instead of waiting for the nightly run."""

    _name = "student.loan.settlement.wizard"
    _description = "Run the Interest Settlement"

    date = fields.Date(string="Settle Up To", required=True, default=fields.Date.context_today, readonly=True)
    contract_count = fields.Integer(compute="_compute_contract_count", string="Contracts to Settle")

    @api.depends("date")
    def _compute_contract_count(self):
        for wizard in self:
            wizard.contract_count = (
                self.env["student.loan.settlement.line"].sudo()._count_contracts_to_settle(wizard.date)
            )

    def action_run(self):
        self.ensure_one()
        if not self.env.user.has_group("student_loan.group_admin"):
            raise UserError(self.env._("Only the province administrator can start the interest settlement."))
        jobs = self.env["student.loan.settlement.line"].sudo()._enqueue_settlement(self.date)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The interest settlement of %(contracts)s contracts runs in the background (%(jobs)s jobs).",
                    contracts=self.contract_count,
                    jobs=jobs,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
