"""Plain tests: code that needs no Odoo (the pure ``loanlib`` package of the core addon)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "student_loan"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "student_loan_intake"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "student_loan_event"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "student_loan_report"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "student_loan_sms"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "student_loan_portal"))
