"""18.0.1.1.0: contracts get a plan convention (loanlib.repayment). The plans stored before are legacy ones:
the column is created here with that value, so the field's default ("bank", for new plans) does not label
them; post-migrate.py moves them to the bank calendar."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE student_loan_contract ADD COLUMN IF NOT EXISTS plan_convention varchar")
    cr.execute("UPDATE student_loan_contract SET plan_convention = 'legacy' WHERE plan_convention IS NULL")
