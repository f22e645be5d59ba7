from . import student_loan_change_request, student_loan_contract
