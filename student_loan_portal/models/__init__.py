from . import (
    student_loan_application,
    student_loan_attachment,
    student_loan_centre,
    student_loan_contract,
    student_loan_student,
)
