from odoo import api, models
from odoo.exceptions import UserError

from ..loanlib.cn_money import amount_in_words

CERTIFIED_STATES = ("approved", "active", "closed")
# the documents are Chinese forms: their labels are Chinese whatever the user's language
CHINESE_LABELS = {
    "education_level": {
        "vocational": "高职（专科）",
        "undergraduate": "本科",
        "master": "硕士研究生",
        "doctor": "博士研究生",
    },
    "relation": {"father": "父亲", "mother": "母亲", "guardian": "法定监护人", "other": "其他亲属"},
    "loan_kind": {"first": "首次贷款", "renewal": "续贷"},
    "gender": {"male": "男", "female": "女"},
}


class StudentLoanDocumentHelpers(models.AbstractModel):
    """What the PDF documents share: ID numbers as the reader may see them, amounts in words, labels."""

    _name = "student.loan.document.helpers"
    _description = "Student Loan Document Helpers"

    # the model of the documents a report prints (set by each report)
    _document_model = None

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._document_model].browse(docids)
        self._check_printable(docs)
        return {"doc_ids": docids, "doc_model": self._document_model, "docs": docs, **self._helper_values()}

    @api.model
    def _check_printable(self, docs):
        """Refuse documents the report cannot print yet (a ``UserError``); every document by default."""

    @api.model
    def _helper_values(self):
        user = self.env.user
        full_ids = user.has_group("student_loan.group_handler") or user.has_group("student_loan.group_bank")

        def id_number(person):
            person = person.sudo()
            return (person.id_number if full_ids else person.id_number_masked) or ""

        def label(record, field_name):
            value = record[field_name]
            if value in CHINESE_LABELS.get(field_name, {}):
                return CHINESE_LABELS[field_name][value]
            return dict(record._fields[field_name]._description_selection(record.env)).get(value, value or "")

        def date_cn(day):
            return f"{day.year}年{day.month}月{day.day}日" if day else "　　年　　月　　日"

        def money(amount):
            return f"{amount:,.2f}"

        return {
            "id_number": id_number,
            "amount_cn": amount_in_words,
            "label": label,
            "date_cn": date_cn,
            "money": money,
        }


class ReportApplicationForm(models.AbstractModel):
    _name = "report.student_loan.report_application_form"
    _description = "Application Form (PDF)"
    _inherit = ["student.loan.document.helpers"]
    _document_model = "student.loan.application"


class ReportAcceptanceCertificate(models.AbstractModel):
    _name = "report.student_loan.report_acceptance_certificate"
    _description = "Acceptance Certificate (PDF)"
    _inherit = ["student.loan.document.helpers"]
    _document_model = "student.loan.contract"

    @api.model
    def _check_printable(self, docs):
        for contract in docs:
            if contract.state not in CERTIFIED_STATES or not contract.receipt_code:
                raise UserError(
                    self.env._(
                        "The acceptance certificate of %s is available once the application is approved "
                        "(it shows the receipt code).",
                        contract.name,
                    )
                )


class ReportLoanContract(models.AbstractModel):
    _name = "report.student_loan.report_loan_contract"
    _description = "Loan Contract (PDF)"
    _inherit = ["student.loan.document.helpers"]
    _document_model = "student.loan.contract"
