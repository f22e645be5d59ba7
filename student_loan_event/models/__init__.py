# ruff: noqa: I001
# Load order matters: the anonymous work is the parent (``_inherits``) of the submission, and the
# participation report (a SQL view) reads the tables of all the others.
from . import student_loan_competition_work
from . import (
    event_event,
    event_registration,
    student_loan_competition,
    student_loan_competition_category,
    student_loan_competition_criterion,
    student_loan_competition_result,
    student_loan_competition_review,
    student_loan_competition_review_line,
    student_loan_competition_submission,
    student_loan_competition_tier,
    student_loan_event_agenda_line,
)
from . import student_loan_competition_report
