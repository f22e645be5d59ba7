from . import (
    student_loan_change_plan_line,
    student_loan_change_request,
    student_loan_contract,
    student_loan_payment,
    student_loan_payment_allocation,
    student_loan_plan_line,
    student_loan_settlement_line,
    student_loan_student,
)
