"""18.0.1.1.0: a detailed address names the village, the group and the house number (村、组、门牌号), or the
street and the house number: recompute the stored completeness of the co-borrowers' addresses."""

from odoo import SUPERUSER_ID, api
from odoo.tools import split_every


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Coborrower = env["student.loan.coborrower"].with_context(active_test=False)
    field = Coborrower._fields["address_complete"]
    for ids in split_every(5000, Coborrower.search([]).ids):
        records = Coborrower.browse(ids)
        env.add_to_compute(field, records)
        records.flush_recordset(["address_complete"])
        env.invalidate_all()
    _fill_attachment_type_hints(env)


# the file-name words and shapes of the shipped attachment types (data/student_loan_attachment_type_data.xml,
# noupdate): given to the existing types that have none
ATTACHMENT_TYPE_HINTS = {
    "attachment_type_student_id_card": ("学生身份证, 本人身份证, 学生本人, student id", "card"),
    "attachment_type_coborrower_id_card": (
        "共同借款人, 父亲, 母亲, 家长, 监护人, 父, 母, coborrower, co-borrower, parent, father, mother, guardian",
        "card",
    ),
    "attachment_type_admission_notice": ("录取通知, 通知书, 录取, admission, offer", "page"),
    "attachment_type_student_card": ("学生证, student card", "card"),
    "attachment_type_application_form": ("申请表, 申请, application form, application", "page"),
    "attachment_type_contract_page": ("合同, contract", "page"),
}


def _fill_attachment_type_hints(env):
    for xmlid, (keywords, shape) in ATTACHMENT_TYPE_HINTS.items():
        attachment_type = env.ref(f"student_loan.{xmlid}", raise_if_not_found=False)
        if attachment_type and not attachment_type.keywords and not attachment_type.document_shape:
            attachment_type.write({"keywords": keywords, "document_shape": shape})
