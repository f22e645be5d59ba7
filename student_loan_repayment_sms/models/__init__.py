from . import student_loan_sms_campaign
