from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The rule names of the policy data (data/student_loan_policy_data.xml). The rules are created inside
# each policy (no XML id of their own), so the .po cannot reach them: they are translated from these.
DEFAULT_NAMES = (
    _lt("ID cards"),
    _lt("Admission notice and application form"),
    _lt("ID card"),
    _lt("Student card or contract page"),
)


class StudentLoanAttachmentRule(models.Model):
    """How many attachments of which types a loan kind needs (first loan "2+2", renewal "1+1")."""

    _name = "student.loan.attachment.rule"
    _description = "Attachment Rule"
    _order = "policy_id, loan_kind, sequence, id"

    policy_id = fields.Many2one("student.loan.policy", required=True, ondelete="cascade", index=True)
    loan_kind = fields.Selection([("first", "First Loan"), ("renewal", "Renewal")], required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    type_ids = fields.Many2many("student.loan.attachment.type", string="Counts Attachments Of", required=True)
    min_count = fields.Integer(string="Minimum Count", default=1, required=True)

    _sql_constraints = [
        ("min_count_positive", "check(min_count > 0)", "An attachment rule needs at least one attachment."),
    ]

    @api.model
    def _translate_default_names(self, langs=None):
        """Give the rules named as in the policy data their translations in ``langs`` (default: installed)."""
        langs = langs or [code for code, _name in self.env["res.lang"].get_installed()]
        langs = [lang for lang in langs if lang != "en_US"]
        if not langs:
            return
        for name in DEFAULT_NAMES:
            translations = {lang: name._translate(lang) for lang in langs}
            for rule in self.with_context(lang="en_US").search([("name", "=", name._source)]):
                rule.update_field_translations("name", translations)
