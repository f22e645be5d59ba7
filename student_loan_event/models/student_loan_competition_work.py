import base64
import secrets

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError

from ..competitionlib import files as files_lib

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class StudentLoanCompetitionWork(models.Model):
    """The anonymous part of a submission: what the judges read.

    A work has an anonymous code, a title, a category, a text and files, and nothing that leads
    to its author: no link to the student or the submission, no create/write user (``_log_access``
    is off), and its files are stored by the system user. The submission
    (``student.loan.competition.submission``) inherits it (``_inherits``) and holds the identity;
    judges have no access at all to submissions.
    """

    _name = "student.loan.competition.work"
    _description = "Competition Work (anonymous)"
    _log_access = False
    _order = "code"
    _rec_name = "code"

    code = fields.Char(
        string="Anonymous Code",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self._new_code(),
    )
    competition_id = fields.Many2one("student.loan.competition", required=True, ondelete="cascade", index=True)
    competition_state = fields.Selection(related="competition_id.state", string="Competition Status")
    category_id = fields.Many2one("student.loan.competition.category", required=True, index=True)
    title = fields.Char(required=True)
    content = fields.Text(string="Text of the Work")
    attachment_ids = fields.Many2many("ir.attachment", string="Files", compute="_compute_attachment_ids")
    review_ids = fields.One2many("student.loan.competition.review", "work_id", string="Reviews")
    owner_user_id = fields.Many2one(
        "res.users",
        string="Author's Account",
        compute="_compute_owner_user_id",
        search="_search_owner_user_id",
        groups="base.group_portal,student_loan.group_viewer",
        help="Used by the portal record rule; hidden from judges.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "Two works cannot share an anonymous code."),
    ]

    def _compute_attachment_ids(self):
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)], order="id"
        )
        for work in self:
            work.attachment_ids = attachments.filtered(lambda attachment, work=work: attachment.res_id == work.id)

    @api.model
    def _new_code(self):
        """A random code (``W-7K3QXM``): it says nothing about the author or the submission order."""
        return "W-" + "".join(secrets.choice(CODE_ALPHABET) for _index in range(6))

    def _submissions(self):
        return self.env["student.loan.competition.submission"].sudo().search([("work_id", "in", self.ids)])

    def _compute_owner_user_id(self):
        owners = {submission.work_id.id: submission.student_id.user_id for submission in self._submissions()}
        for work in self:
            work.owner_user_id = owners.get(work.id, False)

    def _search_owner_user_id(self, operator, value):
        submissions = (
            self.env["student.loan.competition.submission"].sudo().search([("student_id.user_id", operator, value)])
        )
        return [("id", "in", submissions.work_id.ids)]

    @api.depends("code", "title")
    def _compute_display_name(self):
        for work in self:
            work.display_name = f"{work.code} {work.title}" if work.title else work.code

    def _add_files(self, files):
        """Attach ``files`` (``[(filename, raw bytes)]``) after checking the category's limits.

        The attachments are created by the system user, and named after the work's code (``W-7K3QXM-1.jpg``),
        so that neither their creator nor a file name such as ``张三的作品.jpg`` names the student to the judges.
        """
        self.ensure_one()
        category = self.category_id
        existing = self.sudo().attachment_ids
        if category.max_files and len(existing) + len(files) > category.max_files:
            raise ValidationError(
                self.env._(
                    "%(category)s accepts at most %(count)s files per work.",
                    category=category.name,
                    count=category.max_files,
                )
            )
        if files and not category.max_files:
            raise ValidationError(self.env._("%s accepts no files.", category.name))
        for filename, raw in files:
            category._check_upload(filename, raw)
        attachments = (
            self.env["ir.attachment"]
            .with_user(SUPERUSER_ID)
            .create(
                [
                    {
                        "name": self._anonymous_file_name(len(existing) + position, filename),
                        "datas": base64.b64encode(raw),
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for position, (filename, raw) in enumerate(files, start=1)
                ]
            )
        )
        self.invalidate_recordset(["attachment_ids"])
        return attachments

    def _anonymous_file_name(self, number, filename):
        extension = files_lib.extension(filename)
        return f"{self.code}-{number}.{extension}" if extension else f"{self.code}-{number}"

    def _check_content_complete(self):
        """The work has what its category asks for: a text or files."""
        for work in self:
            category = work.category_id
            files = work.sudo().attachment_ids
            if category.requires_file and not files:
                raise ValidationError(self.env._("%s needs at least one file.", category.name))
            if not (work.content or "").strip() and not files:
                raise ValidationError(self.env._("Add the text of your work or upload a file."))
            if (work.content or "").strip() and not category.accepts_text:
                raise ValidationError(self.env._("%s accepts files only, not typed text.", category.name))
