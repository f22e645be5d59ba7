from odoo import fields, models, tools


class StudentLoanCompetitionReport(models.Model):
    """Participation per centre and year: submissions, judged works, winners, winners who attended
    the ceremony. One row per submission (a SQL view); pivot and graph sum the measures."""

    _name = "student.loan.competition.report"
    _description = "Competition Participation Analysis"
    _auto = False
    _rec_name = "competition_id"
    _order = "year desc, competition_id"
    # flushed before the view is read
    _depends = {
        "student.loan.competition": ["centre_id", "year"],
        "student.loan.competition.work": ["competition_id", "category_id"],
        "student.loan.competition.submission": [
            "work_id",
            "centre_id",
            "school_id",
            "tier_id",
            "state",
            "is_winner",
            "score",
        ],
        "student.loan.competition.review": ["work_id", "state"],
        "student.loan.centre": ["reporting_city_id"],
        "event.registration": ["submission_id", "state"],
    }

    competition_id = fields.Many2one("student.loan.competition", readonly=True)
    organiser_centre_id = fields.Many2one("student.loan.centre", string="Organising Centre", readonly=True)
    centre_id = fields.Many2one("student.loan.centre", string="Student's Aid Centre", readonly=True)
    reporting_city_id = fields.Many2one("student.loan.centre", string="Statistics Unit", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    category_id = fields.Many2one("student.loan.competition.category", readonly=True)
    tier_id = fields.Many2one("student.loan.competition.tier", string="Prize", readonly=True)
    school_id = fields.Many2one("student.loan.school", readonly=True)
    state = fields.Selection(
        [("submitted", "Submitted"), ("locked", "Locked for Judging"), ("disqualified", "Disqualified")],
        string="Submission Status",
        readonly=True,
    )
    submission_count = fields.Integer(string="Submissions", readonly=True)
    judged_count = fields.Integer(string="Judged", readonly=True)
    winner_count = fields.Integer(string="Winners", readonly=True)
    invited_count = fields.Integer(string="Invited", readonly=True)
    attended_count = fields.Integer(string="Attended", readonly=True)
    score = fields.Float(digits=(6, 2), readonly=True, aggregator="avg")

    def _query(self):
        return """
            SELECT s.id AS id,
                   w.competition_id AS competition_id,
                   c.centre_id AS organiser_centre_id,
                   s.centre_id AS centre_id,
                   ctr.reporting_city_id AS reporting_city_id,
                   c.year AS year,
                   w.category_id AS category_id,
                   s.tier_id AS tier_id,
                   s.school_id AS school_id,
                   s.state AS state,
                   1 AS submission_count,
                   CASE WHEN rv.total > 0 AND rv.total = rv.done THEN 1 ELSE 0 END AS judged_count,
                   CASE WHEN s.is_winner THEN 1 ELSE 0 END AS winner_count,
                   CASE WHEN reg.invited > 0 THEN 1 ELSE 0 END AS invited_count,
                   CASE WHEN reg.attended > 0 THEN 1 ELSE 0 END AS attended_count,
                   s.score AS score
              FROM student_loan_competition_submission s
              JOIN student_loan_competition_work w ON w.id = s.work_id
              JOIN student_loan_competition c ON c.id = w.competition_id
         LEFT JOIN student_loan_centre ctr ON ctr.id = s.centre_id
         LEFT JOIN (
                    SELECT work_id, count(*) AS total, count(*) FILTER (WHERE state = 'done') AS done
                      FROM student_loan_competition_review
                  GROUP BY work_id
                   ) rv ON rv.work_id = w.id
         LEFT JOIN (
                    SELECT submission_id,
                           count(*) FILTER (WHERE state != 'cancel') AS invited,
                           count(*) FILTER (WHERE state = 'done') AS attended
                      FROM event_registration
                     WHERE submission_id IS NOT NULL
                  GROUP BY submission_id
                   ) reg ON reg.submission_id = s.id
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._query()})")
