# isort: skip_file
# (the SQL view of the overdue worklist reads the tables of the models before it: it is registered last)
from . import student_loan_lender
from . import student_loan_policy
from . import student_loan_penalty_waiver
from . import student_loan_contract
from . import student_loan_contact_attempt
from . import student_loan_penalty_run
from . import student_loan_penalty_line
from . import student_loan_payment_allocation
from . import student_loan_payment
from . import student_loan_default_case
from . import student_loan_bank_import
from . import student_loan_bank_import_line
from . import student_loan_risk_summary
from . import student_loan_risk_line

# SQL views last: they read the tables above
from . import student_loan_overdue
from . import student_loan_relief
from . import student_loan_deferral_run
from . import student_loan_prepayment_request
from . import student_loan_student
from . import student_loan_graduation
