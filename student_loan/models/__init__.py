# The review mixin first: the reviewed documents below inherit it.
from . import student_loan_review_mixin  # noqa: I001
from . import (
    ir_http,
    ir_rule,
    ir_module_module,
    res_users,
    student_loan_application,
    student_loan_attachment,
    student_loan_attachment_rule,
    student_loan_attachment_type,
    student_loan_centre,
    student_loan_check_item,
    student_loan_check_line,
    student_loan_coborrower,
    student_loan_contract,
    student_loan_policy,
    student_loan_school,
    student_loan_student,
    tier_definition,
    tier_review,
)
