from . import (
    ir_http,
    res_company,
    res_partner,
    res_users,
    student_loan_application,
    student_loan_attachment,
    student_loan_centre,
    student_loan_contract,
    student_loan_portal_otp,
    student_loan_sign_request,
    student_loan_student,
)
