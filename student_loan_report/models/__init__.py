from . import student_loan_application, student_loan_statistics, student_loan_work_log
