from odoo import fields, models


class StudentLoanApplication(models.Model):
    _inherit = "student.loan.application"

    returned_date = fields.Datetime(
        string="Last Returned On",
        readonly=True,
        copy=False,
        index=True,
        help="When a reviewer last returned (退回) the application: counted in the daily work log.",
    )

    def _return(self, reason):
        result = super()._return(reason)
        self.write({"returned_date": fields.Datetime.now()})
        return result
