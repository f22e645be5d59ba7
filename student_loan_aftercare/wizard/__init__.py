from . import student_loan_risk_wizard
