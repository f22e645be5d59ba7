from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.student_loan.loanlib import filecheck
from odoo.addons.student_loan.models.lib_errors import lib_error_message

from ..competitionlib import files as files_lib

# content refused whatever the file is called: it runs in a browser or a viewer
ACTIVE_MIMETYPES = {
    "text/html",
    "image/svg+xml",
    "application/xml",
    "text/xml",
    "application/xhtml+xml",
    "application/javascript",
    "text/javascript",
    "application/x-msdownload",
}


class StudentLoanCompetitionCategory(models.Model):
    """A kind of work (essay, calligraphy and painting, photography, video) with its upload limits."""

    _name = "student.loan.competition.category"
    _description = "Competition Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    accepts_text = fields.Boolean(
        string="Text Accepted", default=True, help="The student may type the work (an essay) in the form."
    )
    requires_file = fields.Boolean(string="File Required", help="At least one file must be uploaded.")
    allowed_extensions = fields.Char(
        string="Accepted File Types", help="Comma-separated extensions, e.g. jpg,png,pdf. Empty: any type."
    )
    max_file_size_mb = fields.Integer(string="Maximum File Size (MB)", default=10)
    max_files = fields.Integer(string="Maximum Number of Files", default=5)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another category already has this code."),
        ("limits_positive", "check(max_file_size_mb >= 0 and max_files >= 0)", "File limits cannot be negative."),
    ]

    @api.constrains("accepts_text", "requires_file", "max_files")
    def _check_content_possible(self):
        for category in self:
            if not category.accepts_text and not category.max_files:
                raise ValidationError(
                    self.env._("%s accepts neither text nor files: allow one of them.", category.name)
                )
            if category.requires_file and not category.max_files:
                raise ValidationError(self.env._("%s requires a file but allows none.", category.name))

    def _limits_text(self):
        """One line for students: what may be uploaded."""
        self.ensure_one()
        parts = []
        if self.accepts_text:
            parts.append(self.env._("text"))
        if self.max_files:
            types = ", ".join(files_lib.parse_extensions(self.allowed_extensions)) or self.env._("any type")
            parts.append(
                self.env._(
                    "up to %(count)s file(s) (%(types)s, at most %(size)s MB each)",
                    count=self.max_files,
                    types=types,
                    size=self.max_file_size_mb or "-",
                )
            )
        return "; ".join(parts)

    def _file_problem_message(self, problem):
        """Translated message for a :class:`~..competitionlib.files.FileProblem`."""
        params = problem.params
        if problem.code == "no_name":
            return self.env._("A file has no name.")
        if problem.code == "empty":
            return self.env._("The file %s is empty.", params["filename"])
        if problem.code == "type":
            return self.env._(
                "The file %(filename)s has a type that is not accepted for %(category)s (accepted: %(allowed)s).",
                filename=params["filename"],
                category=self.name,
                allowed=params["allowed"],
            )
        return self.env._(
            "The file %(filename)s is larger than %(size)s MB.",
            filename=params["filename"],
            size=params["max_size_mb"],
        )

    def _check_upload(self, filename, raw):
        """Raise ValidationError when the file ``filename`` (bytes ``raw``) breaks this category's limits.

        The name's extension is checked against the category, and the content by its bytes, whatever the
        name says: active content (HTML, SVG, XML, scripts), PDFs with scripts or actions, and images that
        cannot be read or are too large to decode are refused.
        """
        self.ensure_one()
        raw = raw or b""
        try:
            files_lib.check_file(filename, len(raw), self.allowed_extensions, self.max_file_size_mb)
        except files_lib.FileProblem as problem:
            raise ValidationError(self._file_problem_message(problem)) from problem
        mimetype = guess_mimetype(raw)
        if mimetype in ACTIVE_MIMETYPES or "script" in mimetype:
            raise ValidationError(
                self.env._(
                    "The file %(filename)s holds active content (%(type)s): it is not accepted.",
                    filename=filename,
                    type=mimetype,
                )
            )
        try:
            if mimetype == "application/pdf":
                filecheck.check_pdf(raw)
            elif mimetype.startswith("image/"):
                filecheck.check_image(raw)
        except ValueError as error:
            raise ValidationError(
                self.env._("%(filename)s: %(reason)s", filename=filename, reason=lib_error_message(self.env, error))
            ) from error
