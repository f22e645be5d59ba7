from . import student_loan_portal_otp, student_loan_sms_gateway
