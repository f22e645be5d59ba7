"""The relief, prepayment, graduation and write-off documents move onto the review engine (18.0.2.0.0).

Their hand-made states map onto the engine's: a document that was waiting goes back to draft (its handler submits
it again and the tiers are asked), a refusal becomes a cancellation, a write-off request waits again as an open
case."""


def migrate(cr, version):
    if not version:
        return
    for table, mapping in (
        ("student_loan_relief", {"submitted": "draft", "refused": "cancelled"}),
        ("student_loan_prepayment_request", {"submitted": "draft", "refused": "cancelled"}),
        ("student_loan_graduation", {"submitted": "draft"}),
        ("student_loan_default_case", {"write_off_requested": "open"}),
    ):
        for old, new in mapping.items():
            cr.execute(f"UPDATE {table} SET state = %s WHERE state = %s", [new, old])  # noqa: S608
