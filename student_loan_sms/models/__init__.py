from . import (
    sms_sms,
    student_loan_sms_campaign,
    student_loan_sms_campaign_review,
    student_loan_sms_gateway,
    student_loan_sms_recipient,
    student_loan_sms_template_code,
    student_loan_student,
)
