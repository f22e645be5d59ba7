from . import student_loan_statistics_wizard
