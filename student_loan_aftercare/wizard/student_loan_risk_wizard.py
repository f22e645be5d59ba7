import base64

from odoo import fields, models


class StudentLoanRiskWizard(models.TransientModel):
    """Compute the risk figures as of a date: the pivot/graph lines, or the XLSX sheet."""

    _name = "student.loan.risk.wizard"
    _description = "Risk Statistics as of a Date"

    as_of = fields.Date(string="As of", required=True, default=fields.Date.context_today)
    xlsx_file = fields.Binary(readonly=True, attachment=False)
    xlsx_name = fields.Char()

    def action_compute(self):
        self.ensure_one()
        self.env["student.loan.risk.line"]._store_as_of(self.as_of)
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan_aftercare.student_loan_risk_line_action")
        action["domain"] = [("as_of", "=", self.as_of)]
        return action

    def action_xlsx(self):
        self.ensure_one()
        content = self.env["student.loan.risk.line"]._risk_xlsx(self.as_of)
        self.write({"xlsx_file": base64.b64encode(content), "xlsx_name": f"贷后风险统计_{self.as_of}.xlsx"})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/xlsx_file/{self.xlsx_name}?download=true",
            "target": "self",
        }
