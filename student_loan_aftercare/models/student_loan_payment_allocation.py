from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StudentLoanPaymentAllocation(models.Model):
    """Penalty interest (罚息) is paid first (``loanlib.allocation``): an allocation of that kind pays one
    accrual."""

    _inherit = "student.loan.payment.allocation"

    kind = fields.Selection(selection_add=[("penalty", "Penalty Interest")], ondelete={"penalty": "cascade"})
    penalty_line_id = fields.Many2one(
        "student.loan.penalty.line",
        string="Penalty Interest Accrual",
        index="btree_not_null",
        ondelete="restrict",
        readonly=True,
    )

    @api.constrains("kind", "penalty_line_id", "contract_id")
    def _check_penalty_line(self):
        for allocation in self:
            line = allocation.penalty_line_id
            if (allocation.kind == "penalty") != bool(line):
                raise ValidationError(self.env._("A penalty interest allocation pays one penalty interest accrual."))
            if line and line.contract_id != allocation.contract_id:
                raise ValidationError(self.env._("An allocation pays a penalty interest accrual of its own contract."))
