from . import student_loan_return_wizard
from . import student_loan_transfer_wizard
