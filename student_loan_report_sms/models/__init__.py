from . import student_loan_work_log
