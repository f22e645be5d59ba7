import base64
import datetime

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.student_loan.loanlib import identity
from odoo.addons.student_loan.models.student_loan_review_mixin import APPROVAL_STATES

from ..intakelib import poverty

BATCH = 5000


class StudentLoanPovertyImport(models.Model):
    """One import of the poverty office's list (扶贫办数据库) for a centre.

    Upload → map the columns (saved mappings are reused) → preview with per-row errors → confirm.
    Nothing is written to the register before the confirmation, and a file with an error is refused
    as a whole. A file imported before is refused (checksum); rows imported before change nothing
    (row hashes). Confirming records what the import changed, person by person.
    """

    _name = "student.loan.poverty.import"
    _description = "Poverty Register Import"
    _inherit = ["student.loan.review.approval.mixin", "student.loan.job.mixin"]
    _order = "id desc"

    # The confirmation that writes the register is reviewed (R2): the handler asks for it after the preview,
    # the tiers (shipped: the centre's supervisor) confirm it on the review engine; then the register is written.
    _state_field = "review_state"
    _review_reviewed_fields = frozenset({"file", "file_name", "centre_id"})

    STATES = [
        ("draft", "Upload"),
        ("mapping", "Mapping"),
        ("preview", "Preview"),
        ("done", "Imported"),
        ("cancelled", "Cancelled"),
    ]
    ISSUE_LIMIT = 1000
    PREVIEW_ROWS = 20

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True, copy=False)
    review_state = fields.Selection(
        APPROVAL_STATES,
        string="Confirmation",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    centre_id = fields.Many2one(
        "student.loan.centre",
        string="Aid Centre",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        default=lambda self: self.env.user.loan_centre_id,
    )
    file = fields.Binary(attachment=True, copy=False)
    file_name = fields.Char(copy=False)
    file_size = fields.Integer(readonly=True, copy=False)
    checksum = fields.Char(readonly=True, copy=False, index=True)
    file_kind = fields.Selection([("xlsx", "XLSX"), ("csv", "CSV")], readonly=True, copy=False)
    file_error = fields.Text(readonly=True, copy=False)
    sheet_name = fields.Char(string="Sheet", help="XLSX: the sheet to read (empty: the first).")
    sheet_names = fields.Char(string="Sheets in the File", readonly=True, copy=False)
    header_row = fields.Integer(default=1, required=True, help="The row holding the column titles.")
    mapping_id = fields.Many2one(
        "student.loan.poverty.mapping",
        string="Saved Mapping",
        domain="['|', ('centre_id', '=', False), ('centre_id', '=', centre_id)]",
    )
    save_mapping_name = fields.Char(string="Save Mapping As")
    column_ids = fields.One2many("student.loan.poverty.import.column", "import_id", string="Columns", copy=False)
    issue_ids = fields.One2many("student.loan.poverty.import.issue", "import_id", string="Issues", copy=False)
    preview_html = fields.Html(readonly=True, copy=False, sanitize=False)
    rows_total = fields.Integer(string="Rows", readonly=True, copy=False)
    rows_valid = fields.Integer(string="Persons", readonly=True, copy=False)
    error_rows = fields.Integer(string="Rows with Errors", readonly=True, copy=False)
    warning_count = fields.Integer(string="Warnings", readonly=True, copy=False)
    count_new = fields.Integer(string="New", readonly=True, copy=False)
    count_changed = fields.Integer(string="Changed", readonly=True, copy=False)
    count_unchanged = fields.Integer(string="Unchanged", readonly=True, copy=False)
    count_removed = fields.Integer(string="No Longer Listed", readonly=True, copy=False)
    count_matched = fields.Integer(string="Students Matched by ID", readonly=True, copy=False)
    count_proposed = fields.Integer(string="Matches Proposed", readonly=True, copy=False)
    previous_import_id = fields.Many2one("student.loan.poverty.import", readonly=True, copy=False)
    date_done = fields.Datetime(string="Imported On", readonly=True, copy=False)
    user_done_id = fields.Many2one("res.users", string="Imported By", readonly=True, copy=False)
    change_ids = fields.One2many("student.loan.poverty.change", "import_id", string="Changes", readonly=True)
    change_count = fields.Integer(compute="_compute_change_count")

    def _compute_change_count(self):
        counts = dict(
            self.env["student.loan.poverty.change"]._read_group(
                [("import_id", "in", self.ids)], ["import_id"], ["__count"]
            )
        )
        for record in self:
            record.change_count = counts.get(record, 0)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("student.loan.poverty.import") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if "file" in vals:
            if any(record.state in ("done", "cancelled") for record in self):
                raise UserError(self.env._("The file of a finished import cannot be replaced: start a new import."))
            self.column_ids.unlink()
            self.issue_ids.unlink()
            vals = dict(vals, state="draft", checksum=False, file_error=False, preview_html=False, file_kind=False)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(record.state == "done" for record in self):
            raise UserError(self.env._("An import that changed the register is its history: it cannot be deleted."))

    # ------------------------------------------------------------------
    # messages
    # ------------------------------------------------------------------

    def _target_label(self, target):
        return dict(
            self.env["student.loan.poverty.mapping.line"]._fields["target"]._description_selection(self.env)
        ).get(target, target)

    def _issue_message(self, code, params):
        """The translated text of a parser issue or file error (see ``intakelib.poverty.MESSAGES``)."""
        p = dict(params)
        if code == "missing_columns":
            p["columns"] = ", ".join(self._target_label(t.strip()) for t in p.get("columns", "").split(","))
        if code == "mapped_twice":
            p["target"] = self._target_label(p.get("target"))
        messages = {
            "empty_file": lambda: self.env._("The file is empty."),
            "too_large": lambda: self.env._(
                "The file is %(size_mb)s MB; the limit is %(limit_mb)s MB. Split the list (for example by "
                "township) and import each part.",
                **p,
            ),
            "xls_format": lambda: self.env._(
                "This is an old Excel 97-2003 (.xls) file: save it as .xlsx or CSV and import it again."
            ),
            "wrong_type": lambda: self.env._("%(filename)s is not an XLSX or CSV file.", **p),
            "bad_xlsx": lambda: self.env._("The XLSX file cannot be read: %(detail)s", **p),
            "bad_encoding": lambda: self.env._("The CSV file is neither UTF-8 nor GB18030 (GBK) text."),
            "binary_csv": lambda: self.env._("The file contains binary data: it is not a CSV file."),
            "bad_csv": lambda: self.env._("The CSV file cannot be read: %(detail)s", **p),
            "sheet_missing": lambda: self.env._("The workbook has no sheet named %(sheet)s.", **p),
            "no_header": lambda: self.env._(
                "Row %(row)s (the header row) is empty or beyond the end of the file.", **p
            ),
            "no_rows": lambda: self.env._("The file has a header but no data rows."),
            "too_many_rows": lambda: self.env._("The file has more than %(limit)s rows.", **p),
            "missing_columns": lambda: self.env._("Required columns are not mapped: %(columns)s.", **p),
            "mapped_twice": lambda: self.env._("%(target)s is mapped to more than one column.", **p),
            "name_missing": lambda: self.env._("The name is empty."),
            "name_too_long": lambda: self.env._("The name is longer than %(limit)s characters.", **p),
            "id_missing": lambda: self.env._(
                "The ID number is empty; the person will be matched by name and birth date."
            ),
            "id_length": lambda: self.env._(
                "The ID number %(value)s has %(length)s characters instead of 18; the person will be matched by "
                "name and birth date.",
                **p,
            ),
            "id_chars": lambda: self.env._(
                "The ID number %(value)s contains characters other than digits and a final X; the person will be "
                "matched by name and birth date.",
                **p,
            ),
            "id_birth": lambda: self.env._(
                "The ID number %(value)s contains an impossible birth date; the person will be matched by name "
                "and birth date.",
                **p,
            ),
            "id_checksum": lambda: self.env._(
                "The ID number %(value)s has a wrong check digit; the person will be matched by name and birth date.",
                **p,
            ),
            "id_float": lambda: self.env._(
                "The ID number %(value)s was stored as a number in Excel and lost digits: format the column as "
                "text and export again.",
                **p,
            ),
            "id_15": lambda: self.env._("The old 15-digit ID number %(value)s was converted to %(number)s.", **p),
            "no_identity": lambda: self.env._(
                "Neither a valid ID number nor a birth date: the person cannot be identified."
            ),
            "birth_invalid": lambda: self.env._(
                "The birth date %(value)s is not a date (write it as 2006-09-01).", **p
            ),
            "birth_mismatch": lambda: self.env._(
                "The birth date %(value)s differs from the one in the ID number (%(id_birth)s).", **p
            ),
            "gender_unknown": lambda: self.env._("The gender %(value)s is not understood (男 or 女).", **p),
            "duplicate_same": lambda: self.env._("Repeats row %(row)s: ignored.", **p),
            "duplicate_conflict": lambda: self.env._(
                "Same person as row %(row)s (same ID number, or same name and birth date) with different details.", **p
            ),
        }
        message = messages.get(code)
        return message() if message else poverty.MESSAGES.get(code, code).format(**params)

    # ------------------------------------------------------------------
    # reading
    # ------------------------------------------------------------------

    def _content(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Upload the poverty office's file first."))
        return base64.b64decode(self.with_context(bin_size=False).file)

    @api.model
    def _max_bytes(self):
        megabytes = self.env["ir.config_parameter"].sudo().get_param("student_loan_intake.poverty_max_mb", "20")
        try:
            return int(float(megabytes) * 1024 * 1024)
        except ValueError:
            return poverty.MAX_FILE_BYTES

    def _already_imported(self, checksum):
        self.ensure_one()
        return self.search(
            [
                ("centre_id", "=", self.centre_id.id),
                ("checksum", "=", checksum),
                ("state", "=", "done"),
                ("id", "!=", self.id),
            ],
            limit=1,
        )

    def _read_table(self):
        """The file's table; a :class:`poverty.FileError` is stored (and returned as ``None``)."""
        self.ensure_one()
        content = self._content()
        checksum = poverty.checksum(content)
        previous = self._already_imported(checksum)
        if previous:
            self.write(
                {
                    "file_error": self.env._(
                        "This file was already imported on %(date)s (%(number)s): importing it again would "
                        "change nothing.",
                        date=fields.Datetime.to_string(previous.date_done),
                        number=previous.name,
                    ),
                    "checksum": checksum,
                }
            )
            return None
        try:
            table = poverty.read_table(
                content,
                self.file_name or "",
                header_row=self.header_row,
                sheet=self.sheet_name or None,
                max_bytes=self._max_bytes(),
            )
        except poverty.FileError as error:
            self.write(
                {
                    "file_error": self._issue_message(error.code, error.params),
                    "checksum": checksum,
                    "file_size": len(content),
                }
            )
            return None
        self.write(
            {
                "checksum": checksum,
                "file_size": len(content),
                "file_kind": table.kind,
                "file_error": False,
                "sheet_names": ", ".join(table.sheets) or False,
            }
        )
        return table

    def _column_mapping(self):
        self.ensure_one()
        return {column.index: column.target for column in self.column_ids if column.target}

    def action_read_file(self):
        """Read the header and propose the mapping (a saved one that fits, else from the column titles)."""
        self.ensure_one()
        if self.state not in ("draft", "mapping"):
            raise UserError(self.env._("This import is past the mapping step."))
        if self.mapping_id:
            self.write(
                {"header_row": self.mapping_id.header_row, "sheet_name": self.sheet_name or self.mapping_id.sheet_name}
            )
        self.column_ids.unlink()
        self.issue_ids.unlink()
        table = self._read_table()
        if table is None:
            self.state = "draft"
            return False
        mapping = self.mapping_id
        if not mapping:
            mapping = (
                self.env["student.loan.poverty.mapping"]
                .search(
                    [
                        "|",
                        ("centre_id", "=", False),
                        ("centre_id", "=", self.centre_id.id),
                        ("header_row", "=", self.header_row),
                    ]
                )
                .filtered(lambda candidate: candidate._fits(table.headers))[:1]
            )
        targets = mapping._mapping_for(table.headers) if mapping else poverty.suggest_mapping(table.headers)
        samples = {index: [] for index in range(len(table.headers))}
        for _number, values in table.rows[:10]:
            for index, value in enumerate(values):
                text = poverty._text(value)
                if text and index in samples and len(samples[index]) < 3:
                    samples[index].append(text)
        self.write(
            {
                "mapping_id": mapping.id if mapping else False,
                "state": "mapping",
                "column_ids": [
                    fields.Command.create(
                        {
                            "index": index,
                            "header": header,
                            "target": targets.get(index, False),
                            "sample": " | ".join(samples.get(index, []))[:200],
                        }
                    )
                    for index, header in enumerate(table.headers)
                ],
            }
        )
        return True

    def action_save_mapping(self):
        """Save the columns' mapping under a name, to be proposed for the next file with these columns."""
        self.ensure_one()
        if not self.column_ids:
            raise UserError(self.env._("Read the file first."))
        name = self.save_mapping_name or self.mapping_id.name or self.file_name
        lines = [
            fields.Command.create({"header": column.header, "target": column.target})
            for column in self.column_ids
            if column.target
        ]
        Mapping = self.env["student.loan.poverty.mapping"]
        mapping = Mapping.search([("name", "=", name), ("centre_id", "=", self.centre_id.id)], limit=1)
        vals = {"header_row": self.header_row, "sheet_name": self.sheet_name}
        if mapping:
            mapping.line_ids.unlink()
            mapping.write(dict(vals, line_ids=lines))
        else:
            mapping = Mapping.create(dict(vals, name=name, centre_id=self.centre_id.id, line_ids=lines))
        self.write({"mapping_id": mapping.id, "save_mapping_name": False})
        return True

    # ------------------------------------------------------------------
    # preview
    # ------------------------------------------------------------------

    def _parse(self):
        """Read and check the file with the mapping: ``ParseResult`` or ``None`` (file error stored)."""
        self.ensure_one()
        table = self._read_table()
        if table is None:
            return None
        try:
            return poverty.parse_rows(table, self._column_mapping(), today=fields.Date.context_today(self))
        except poverty.FileError as error:
            self.file_error = self._issue_message(error.code, error.params)
            return None

    def _listed_hashes(self):
        self.ensure_one()
        self.env["student.loan.poverty.person"].flush_model()
        self.env.cr.execute(
            "SELECT key, id, row_hash, listed FROM student_loan_poverty_person WHERE centre_id = %s",
            [self.centre_id.id],
        )
        return {key: (person_id, row_hash, listed) for key, person_id, row_hash, listed in self.env.cr.fetchall()}

    def action_preview(self):
        """Check every row and show what the import would do; nothing is written to the register."""
        self.ensure_one()
        if self.state not in ("mapping", "preview"):
            raise UserError(self.env._("Read the file and map its columns first."))
        self.issue_ids.unlink()
        result = self._parse()
        if result is None:
            self.write({"state": "mapping", "preview_html": False})
            return False
        existing = self._listed_hashes()
        diff = poverty.diff_register(
            {key: row_hash for key, (_id, row_hash, listed) in existing.items() if listed}, result.records
        )
        matches = self.env["student.loan.poverty.person"]._match_values(result.records)
        issues = sorted(result.issues, key=lambda issue: (issue.level != "error", issue.row or 0))
        status = {record.key: "new" for record in diff.new}
        status.update({record.key: "changed" for record in diff.changed})
        self.write(
            {
                "state": "preview",
                "rows_total": result.rows_total,
                "rows_valid": len(result.records),
                "error_rows": result.error_rows,
                "warning_count": len(result.warnings),
                "count_new": len(diff.new),
                "count_changed": len(diff.changed),
                "count_unchanged": len(diff.unchanged),
                "count_removed": len(diff.removed),
                "count_matched": sum(1 for match in matches.values() if match["match_state"] == "id"),
                "count_proposed": sum(1 for match in matches.values() if match["match_state"] == "proposed"),
                "preview_html": self._preview_html(result.records[: self.PREVIEW_ROWS], status, matches),
                "issue_ids": [
                    fields.Command.create(
                        {
                            "row": issue.row,
                            "level": issue.level,
                            "code": issue.code,
                            "column": issue.column,
                            "message": self._issue_message(issue.code, issue.params),
                        }
                    )
                    for issue in issues[: self.ISSUE_LIMIT]
                ],
            }
        )
        if len(issues) > self.ISSUE_LIMIT:
            self.message_post(
                body=self.env._("%(shown)s issues shown out of %(total)s.", shown=self.ISSUE_LIMIT, total=len(issues))
            )
        return True

    def _preview_html(self, records, status, matches):
        labels = {"new": self.env._("New"), "changed": self.env._("Changed")}
        match_labels = dict(
            self.env["student.loan.poverty.person"]._fields["match_state"]._description_selection(self.env)
        )
        head = [
            self.env._("Row"),
            self.env._("Name"),
            self.env._("ID Number"),
            self.env._("Birth Date"),
            self.env._("Household Number"),
            self.env._("Status"),
            self.env._("Student"),
        ]
        rows = []
        for record in records:
            cells = [
                record.row,
                record.name,
                poverty_mask(record.id_number or record.id_raw),
                record.birth_date.isoformat() if record.birth_date else "",
                record.household_no,
                labels.get(status.get(record.key), self.env._("Unchanged")),
                match_labels.get(matches[record.key]["match_state"], ""),
            ]
            rows.append(Markup("<tr>%s</tr>") % Markup("").join(Markup("<td>%s</td>") % cell for cell in cells))
        return Markup(
            '<table class="table table-sm o_poverty_preview"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
        ) % (Markup("").join(Markup("<th>%s</th>") % escape(label) for label in head), Markup("").join(rows))

    def action_back_to_mapping(self):
        self.ensure_one()
        if self.state != "preview":
            raise UserError(self.env._("Only a previewed import goes back to the mapping."))
        self.issue_ids.unlink()
        self.write({"state": "mapping", "preview_html": False})
        return True

    def action_cancel(self):
        if any(record.state == "done" for record in self):
            raise UserError(self.env._("A finished import cannot be cancelled."))
        self.write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # confirmation
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Ask for the confirmation of the previewed import (the tiers' reviewers confirm it)."""
        self.ensure_one()
        self._check_importable()
        self._check_state(self._review_editable_states, self.env._("submitted"))
        self._review_submit({"review_state": "to_approve"})
        return True

    def action_approve_import(self):
        """The reviewer confirms (同意): the register is written now."""
        self.ensure_one()
        return self._review_validate("approve", self.env._("confirm"))

    def _check_importable(self):
        if self.state != "preview":
            raise UserError(self.env._("Preview the import before confirming it."))
        if self.error_rows or self.file_error:
            raise UserError(
                self.env._(
                    "The file has %s rows with errors: correct them in the file and import it again. "
                    "Nothing was imported.",
                    self.error_rows,
                )
            )

    def _review_on_done(self):
        """Confirmed: the register is written by a job (``_job_import``, channel root.student_loan.poverty_import)."""
        self.ensure_one()
        self._check_importable()
        self._job_enqueue("_job_import", self.env._("Write the poverty register of %s", self.name))

    def _job_import(self):
        """The job: write the register (new, changed and no-longer-listed persons, matches, 建档立卡 flags).

        One transaction: a killed job leaves nothing written and its retry starts again; a job run again on
        a finished import does nothing (and a row imported before changes nothing: row hashes)."""
        self.ensure_one()
        self._job_lock()
        if self.state == "done":
            return self.env._("%s is imported already: nothing to do.", self.name)
        self._check_importable()
        result = self._parse()
        if result is None or result.errors:
            raise UserError(self.file_error or self.env._("The file changed since the preview: preview it again."))
        summary = self._apply(result)
        message = self.env._(
            "Register imported: %(new)s new, %(changed)s changed, %(removed)s no longer listed, "
            "%(unchanged)s unchanged; %(matched)s students matched by ID number, %(proposed)s matches proposed.",
            **summary,
        )
        self.message_post(body=message)
        return message

    @api.model
    def _person_vals(self, record, match):
        return {
            "key": record.key,
            "row_hash": record.row_hash,
            "name": record.name,
            "id_number": record.id_number or False,
            "id_raw": record.id_raw or False,
            "id_valid": record.id_valid,
            "birth_date": record.birth_date or False,
            "gender": record.gender or False,
            "household_no": record.household_no or False,
            "household_head": record.household_head or False,
            "relation": record.relation or False,
            "address": record.address or False,
            "phone": record.phone or False,
            "school_name": record.school or False,
            **match,
        }

    def _details(self, person, vals):
        labels = {
            "name": self.env._("Name"),
            "id_number": self.env._("ID Number"),
            "birth_date": self.env._("Birth Date"),
            "gender": self.env._("Gender"),
            "household_no": self.env._("Household Number"),
            "household_head": self.env._("Head of Household"),
            "relation": self.env._("Relation to Head"),
            "address": self.env._("Address"),
            "phone": self.env._("Phone"),
            "school_name": self.env._("School"),
        }
        lines = []
        for field_name, label in labels.items():
            old, new = person[field_name] or "", vals.get(field_name) or ""
            if isinstance(old, datetime.date):
                old = old.isoformat()
            if isinstance(new, datetime.date):
                new = new.isoformat()
            if field_name == "id_number":
                old, new = poverty_mask(old), poverty_mask(new)
            if old != new:
                lines.append(f"{label}: {old} → {new}")
        return "\n".join(lines)

    def _bulk_insert(self, model, rows, now):
        """Insert ``rows`` (dicts with the same keys, stored columns only) into ``model``'s table in one
        statement; returns the new ids in order. For the register's province-sized batches: no compute,
        no default, no access check here (the caller checked the access)."""
        if not rows:
            return []
        model.flush_model()
        columns = list(rows[0])
        for name in columns:
            field = model._fields[name]
            assert field.store and field.column_type, f"{model._name}.{name} is not a plain stored column"
        magic = {"create_uid": self.env.uid, "write_uid": self.env.uid, "create_date": now, "write_date": now}
        all_columns = columns + list(magic)
        converted = [
            [model._fields[name].convert_to_column_insert(row[name], model) for name in columns] + list(magic.values())
            for row in rows
        ]
        placeholders = "(" + ", ".join(["%s"] * len(all_columns)) + ")"
        head = SQL(
            "INSERT INTO %s (%s) VALUES ",
            SQL.identifier(model._table),
            SQL(", ").join(SQL.identifier(name) for name in all_columns),
        )
        self.env.cr.execute(
            head.code + ", ".join([placeholders] * len(converted)) + " RETURNING id",
            [*head.params, *(value for values in converted for value in values)],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        model.invalidate_model()
        return ids

    def _apply(self, result):
        self.ensure_one()
        now = fields.Datetime.now()
        Person = self.env["student.loan.poverty.person"]
        Change = self.env["student.loan.poverty.change"]
        existing = self._listed_hashes()
        diff = poverty.diff_register(
            {key: row_hash for key, (_id, row_hash, listed) in existing.items() if listed}, result.records
        )
        matches = Person._match_values(diff.new + diff.changed)
        touched_students = set()
        changes = []

        # new persons (and persons listed again); inserted in bulk: a first import is province-sized
        brand_new = [record for record in diff.new if record.key not in existing]
        Person.check_access("create")
        Change.check_access("create")
        self.check_access("write")
        for batch in split_every(BATCH, brand_new, list):
            person_ids = self._bulk_insert(
                Person,
                [
                    dict(
                        self._person_vals(record, matches[record.key]),
                        centre_id=self.centre_id.id,
                        listed=True,
                        first_import_id=self.id,
                        last_import_id=self.id,
                        id_number_masked=poverty_mask(record.id_number or record.id_raw),
                    )
                    for record in batch
                ],
                now,
            )
            changes += [
                {
                    "import_id": self.id,
                    "person_id": person_id,
                    "kind": "new",
                    "name": record.name,
                    "household_no": record.household_no or False,
                }
                for person_id, record in zip(person_ids, batch, strict=True)
            ]
            touched_students.update(match["student_id"] for match in (matches[r.key] for r in batch))
        relisted = [record for record in diff.new if record.key in existing]
        for record in relisted:
            person = Person.browse(existing[record.key][0])
            touched_students.update({person.student_id.id, matches[record.key]["student_id"]})
            person.write(
                dict(
                    self._person_vals(record, matches[record.key]),
                    listed=True,
                    removed_import_id=False,
                    last_import_id=self.id,
                )
            )
            changes.append(
                {
                    "import_id": self.id,
                    "person_id": person.id,
                    "kind": "new",
                    "name": record.name,
                    "household_no": record.household_no or False,
                    "details": self.env._("Listed again."),
                }
            )
        # changed persons
        changed_persons = Person.browse([existing[record.key][0] for record in diff.changed])
        for record, person in zip(diff.changed, changed_persons, strict=True):
            vals = dict(self._person_vals(record, matches[record.key]), last_import_id=self.id)
            if person.match_state in ("confirmed", "rejected") and vals["match_state"] != "id":
                # keep a person's decision on a proposal
                vals.update(
                    student_id=person.student_id.id,
                    proposed_student_id=person.proposed_student_id.id,
                    match_state=person.match_state,
                )
            details = self._details(person, vals)
            touched_students.update({person.student_id.id, vals["student_id"]})
            person.write(vals)
            changes.append(
                {
                    "import_id": self.id,
                    "person_id": person.id,
                    "kind": "changed",
                    "name": record.name,
                    "household_no": record.household_no or False,
                    "details": details,
                }
            )
        # persons no longer listed
        removed = Person.browse([existing[key][0] for key in diff.removed])
        if removed:
            removed.write({"listed": False, "removed_import_id": self.id})
            touched_students.update(removed.student_id.ids)
            changes += [
                {
                    "import_id": self.id,
                    "person_id": person.id,
                    "kind": "removed",
                    "name": person.name,
                    "household_no": person.household_no or False,
                }
                for person in removed
            ]
        for batch in split_every(BATCH, changes, list):
            self._bulk_insert(
                Change,
                [dict({"details": False}, **change, centre_id=self.centre_id.id, date=now) for change in batch],
                now,
            )
        Person._sync_student_flags(self.env["student.loan.student"].browse(filter(None, touched_students)))

        previous = self.search(
            [("centre_id", "=", self.centre_id.id), ("state", "=", "done")], order="date_done desc", limit=1
        )
        all_matches = [matches[record.key]["match_state"] for record in diff.new + diff.changed]
        summary = {
            "new": len(diff.new),
            "changed": len(diff.changed),
            "removed": len(diff.removed),
            "unchanged": len(diff.unchanged),
            "matched": all_matches.count("id"),
            "proposed": all_matches.count("proposed"),
        }
        self.write(
            {
                "state": "done",
                "date_done": now,
                "user_done_id": self.env.uid,
                "previous_import_id": previous.id,
                "count_new": summary["new"],
                "count_changed": summary["changed"],
                "count_removed": summary["removed"],
                "count_unchanged": summary["unchanged"],
            }
        )
        return summary

    @api.model
    def _rematch(self, centre):
        """Listed persons of ``centre`` without a student: match the students registered since."""
        Person = self.env["student.loan.poverty.person"]
        persons = Person.search([("centre_id", "=", centre.id), ("listed", "=", True), ("match_state", "=", "none")])
        if not persons:
            return 0
        records = [
            poverty.RegisterRow(
                row=0,
                key=person.key,
                row_hash="",
                name=person.name,
                id_number=person.sudo().id_number or "",
                id_raw="",
                birth_date=person.birth_date,
                gender="",
            )
            for person in persons
        ]
        matches = Person._match_values(records)
        found = persons.filtered(lambda person: matches[person.key]["match_state"] != "none")
        for person in found:
            person.write(matches[person.key])
        Person._sync_student_flags(found.student_id)
        return len(found)

    def action_rematch(self):
        self.ensure_one()
        count = self._rematch(self.centre_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": self.env._("%s register entries matched with students.", count), "type": "info"},
        }

    def action_view_changes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("student_loan_intake.student_loan_poverty_change_action")
        action["domain"] = [("import_id", "=", self.id)]
        return action


def poverty_mask(number):
    return identity.mask_id_number(number or "")
