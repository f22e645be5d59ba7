import base64
from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.student_loan_intake.intakelib import poverty as tabular

from ..aftercarelib import bankfile

KINDS = [("repayment", "Repayment File (还款文件)"), ("overdue", "Overdue File (逾期文件)")]
MAPPING_FIELDS = {
    "contract": "col_contract",
    "date": "col_date",
    "amount": "col_amount",
    "reference": "col_reference",
    "id_number": "col_id_number",
    "name": "col_name",
    "days": "col_days",
    "principal": "col_principal",
    "interest": "col_interest",
}


class StudentLoanBankImport(models.Model):
    """A file from the bank: repayments deducted on the settlement day, or the bank's overdue list.

    Upload → preview (columns mapped from the header, every row checked, per-row errors, the
    reconciliation with our plans) → confirm. Nothing but the import itself is written before the
    confirmation; a file already imported (same SHA-256) is refused, and a row whose bank reference
    is already booked is skipped, so importing again changes nothing."""

    _name = "student.loan.bank.import"
    _description = "Bank File Import"
    _inherit = ["mail.thread", "student.loan.job.mixin"]
    _order = "id desc"

    CONFIRM_CHUNK = 500

    name = fields.Char(readonly=True, default="/", copy=False)
    kind = fields.Selection(KINDS, required=True, default="repayment", tracking=True)
    lender_id = fields.Many2one(
        "student.loan.lender",
        required=True,
        tracking=True,
        default=lambda self: self.env["student.loan.lender"]._get_default(),
    )
    centre_id = fields.Many2one(
        "student.loan.centre", string="Aid Centre", required=True, default=lambda self: self.env.user.loan_centre_id
    )
    state = fields.Selection(
        [("draft", "Draft"), ("preview", "Preview"), ("done", "Imported")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    file = fields.Binary(required=True, attachment=True)
    filename = fields.Char()
    file_hash = fields.Char(readonly=True, index=True, copy=False)
    file_error = fields.Text(readonly=True)
    headers = fields.Char(readonly=True, help="The columns of the file, separated by |.")
    col_contract = fields.Char(string="Column: Contract Number")
    col_date = fields.Char(string="Column: Date")
    col_amount = fields.Char(string="Column: Amount")
    col_reference = fields.Char(string="Column: Bank Reference")
    col_id_number = fields.Char(string="Column: ID Number")
    col_name = fields.Char(string="Column: Name")
    col_days = fields.Char(string="Column: Days Past Due")
    col_principal = fields.Char(string="Column: Overdue Principal")
    col_interest = fields.Char(string="Column: Overdue Interest")
    line_ids = fields.One2many("student.loan.bank.import.line", "import_id", string="Rows", readonly=True)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.ref("base.CNY"))
    row_count = fields.Integer(compute="_compute_counts")
    error_count = fields.Integer(string="Rows with Errors", compute="_compute_counts")
    duplicate_count = fields.Integer(string="Already Booked", compute="_compute_counts")
    difference_count = fields.Integer(string="Differences", compute="_compute_counts")
    amount_total = fields.Monetary(string="Amount", compute="_compute_counts")
    imported_by_id = fields.Many2one("res.users", readonly=True)
    imported_on = fields.Datetime(readonly=True)

    @api.depends("line_ids.status", "line_ids.reconcile", "line_ids.amount")
    def _compute_counts(self):
        for record in self:
            lines = record.line_ids
            record.row_count = len(lines)
            record.error_count = len(lines.filtered(lambda line: line.status == "error"))
            record.duplicate_count = len(lines.filtered(lambda line: line.status == "duplicate"))
            record.difference_count = len(lines.filtered(lambda line: line.reconcile == "differs"))
            record.amount_total = sum(lines.filtered(lambda line: line.status in ("ok", "done")).mapped("amount"))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_importer()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("student.loan.bank.import") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if "file" in vals and any(record.state == "done" for record in self):
            raise UserError(self.env._("An imported file cannot be replaced: upload it as a new import."))
        if "file" in vals or "kind" in vals:
            vals = dict(vals, state="draft", file_hash=False, file_error=False, headers=False)
            self.line_ids.sudo().unlink()
        return super().write(vals)

    def _check_importer(self):
        if not self.env.user.has_group("student_loan.group_handler"):
            raise UserError(self.env._("Only handlers and supervisors import the bank's files."))

    # ------------------------------------------------------------------
    # messages
    # ------------------------------------------------------------------

    def _problem_message(self, code, params):
        messages = {
            "missing_columns": lambda: self.env._("Required columns are not mapped: %s.", params["columns"]),
            "unknown_column": lambda: self.env._("The column %s is not in the file.", params["column"]),
            "contract_missing": lambda: self.env._("The contract number is empty."),
            "date_invalid": lambda: self.env._("The date %s is not a date (write it as 2025-12-20).", params["value"]),
            "amount_invalid": lambda: self.env._("The amount %s is not an amount in yuan.", params["value"]),
            "amount_not_positive": lambda: self.env._("The amount %s must be more than 0.", params["value"]),
            "amount_fen": lambda: self.env._("The amount %s has fractions of a fen.", params["value"]),
            "reference_missing": lambda: self.env._("The bank reference is empty."),
            "reference_repeated": lambda: self.env._(
                "The bank reference %(value)s repeats row %(row)s.", value=params["value"], row=params["row"]
            ),
            "days_invalid": lambda: self.env._("The days past due %s is not a whole number >= 0.", params["value"]),
            "contract_repeated": lambda: self.env._(
                "The contract %(value)s repeats row %(row)s.", value=params["value"], row=params["row"]
            ),
        }
        message = messages.get(code)
        if message:
            return message()
        if code in tabular.MESSAGES:
            # file-level errors of the shared reader: translated by student_loan_intake's own messages
            return self.env["student.loan.poverty.import"]._issue_message(code, params)
        return code

    # ------------------------------------------------------------------
    # preview and confirmation
    # ------------------------------------------------------------------

    def _content(self):
        return base64.b64decode(self.with_context(bin_size=False).file or b"")

    def action_preview(self):
        """Read and check the file and reconcile it with our plans; writes only this import's rows."""
        self.ensure_one()
        self._check_importer()
        self.check_access("write")
        if self.state == "done":
            raise UserError(self.env._("%s is imported already.", self.name))
        content = self._content()
        checksum = tabular.checksum(content) if content else False
        if checksum:
            earlier = self.search(
                [("file_hash", "=", checksum), ("state", "=", "done"), ("id", "!=", self.id)], limit=1
            )
            if earlier:
                raise UserError(
                    self.env._(
                        "This file was imported already as %(name)s on %(date)s: nothing to do.",
                        name=earlier.name,
                        date=fields.Datetime.to_string(earlier.imported_on),
                    )
                )
        self.line_ids.sudo().unlink()
        try:
            table = tabular.read_table(content, self.filename or "")
        except tabular.FileError as error:
            self.sudo().write({"file_error": self._problem_message(error.code, error.params), "state": "draft"})
            return True
        mapping = self._get_mapping()
        if not any(mapping.values()):
            mapping = bankfile.suggest_mapping(self.kind, table.headers)
            self.sudo().write({MAPPING_FIELDS[target]: header for target, header in mapping.items()})
        problems = bankfile.check_mapping(self.kind, mapping, table.headers)
        if problems:
            self.sudo().write(
                {
                    "file_error": "\n".join(self._problem_message(p.code, p.params) for p in problems),
                    "headers": " | ".join(table.headers),
                    "file_hash": checksum,
                    "state": "draft",
                }
            )
            return True
        rows = bankfile.parse_rows(self.kind, table.headers, table.rows, mapping)
        vals_list = self._prepare_lines(rows)
        self.env["student.loan.bank.import.line"].sudo().create(vals_list)
        self.sudo().write(
            {"file_error": False, "headers": " | ".join(table.headers), "file_hash": checksum, "state": "preview"}
        )
        return True

    def _get_mapping(self):
        return {target: self[field_name] for target, field_name in MAPPING_FIELDS.items() if self[field_name]}

    def _prepare_lines(self, rows):
        """Import lines with their status and the reconciliation with our figures (read-only queries)."""
        Contract = self.env["student.loan.contract"]
        numbers = list({row.contract for row in rows if row.contract})
        # the user's record rules apply: a contract of another centre is "not found"
        contracts = {contract.name: contract for contract in Contract.search([("name", "in", numbers)])}
        booked = set()
        references = [row.reference for row in rows if row.reference]
        if references:
            booked = set(
                self.env["student.loan.payment"]
                .sudo()
                .search([("reference", "in", references), ("state", "=", "posted")])
                .mapped("reference")
            )
        ours = self._our_figures([contract.id for contract in contracts.values()], rows)
        vals_list = []
        for row in rows:
            contract = contracts.get(row.contract)
            errors = [self._problem_message(problem.code, problem.params) for problem in row.problems]
            if row.contract and not contract:
                errors.append(self.env._("No disbursed contract %s in your centre.", row.contract))
            elif contract:
                if contract.state != "active":
                    errors.append(self.env._("The contract %s is not in repayment.", contract.name))
                if contract.lender_id and contract.lender_id != self.lender_id:
                    errors.append(
                        self.env._(
                            "The contract %(contract)s is lent by %(lender)s, not by this file's bank.",
                            contract=contract.name,
                            lender=contract.lender_id.name,
                        )
                    )
                if row.id_number and row.id_number != (contract.student_id.sudo().id_number or "").upper():
                    errors.append(self.env._("The ID number of row %s does not match the contract's student.", row.row))
            status = "error" if errors else ("duplicate" if row.reference and row.reference in booked else "ok")
            vals = {
                "import_id": self.id,
                "row": row.row,
                "contract_ref": row.contract,
                "contract_id": contract.id if contract else False,
                "date": row.date,
                "amount": float(row.amount) if row.amount is not None else 0.0,
                "reference": row.reference,
                "days_past_due": row.days or 0,
                "principal": float(row.principal or 0),
                "interest": float(row.interest or 0),
                "status": status,
                "error": "\n".join(errors) or False,
            }
            if contract and not errors:
                vals.update(self._reconcile(row, ours.get(contract.id, {})))
            vals_list.append(vals)
        return vals_list

    def _our_figures(self, contract_ids, rows):
        """``{contract id: figures}`` our plans give for the rows' contracts (one query)."""
        if not contract_ids:
            return {}
        as_of = max((row.date for row in rows if row.date), default=fields.Date.context_today(self))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT s.contract_id,
                   sum(s.amount_residual) FILTER (WHERE s.state = 'open'),
                   min(s.due_date) FILTER (WHERE s.state = 'open'),
                   sum(s.principal_residual) FILTER (WHERE s.state = 'open' AND s.due_date < %(as_of)s),
                   sum(s.interest_residual) FILTER (WHERE s.state = 'open' AND s.due_date < %(as_of)s)
              FROM student_loan_settlement_line s
             WHERE s.contract_id = ANY(%(ids)s)
             GROUP BY s.contract_id
            """,
                as_of=as_of,
                ids=contract_ids,
            )
        )
        figures = defaultdict(dict)
        for contract_id, unpaid, oldest, principal, interest in self.env.cr.fetchall():
            figures[contract_id] = {
                "unpaid": Decimal(str(unpaid or 0)).quantize(bankfile.FEN),
                "oldest": oldest,
                "principal": Decimal(str(principal or 0)).quantize(bankfile.FEN),
                "interest": Decimal(str(interest or 0)).quantize(bankfile.FEN),
            }
        # penalty interest accrued and unpaid is collected first (waived penalty interest is never owed):
        # the bank's deduction covers it too
        self.env.cr.execute(
            SQL(
                """
            SELECT contract_id, sum(amount_residual)
              FROM student_loan_penalty_line
             WHERE contract_id = ANY(%(ids)s) AND state = 'open' AND date_from < %(as_of)s
             GROUP BY contract_id
            """,
                as_of=as_of,
                ids=contract_ids,
            )
        )
        for contract_id, penalty in self.env.cr.fetchall():
            penalty = Decimal(str(penalty or 0)).quantize(bankfile.FEN)
            figures[contract_id]["penalty"] = penalty
            figures[contract_id]["unpaid"] = figures[contract_id].get("unpaid", Decimal(0)) + penalty
        return figures

    def _reconcile(self, row, ours):
        unpaid = ours.get("unpaid", Decimal(0))
        if self.kind == "repayment":
            difference = row.amount - unpaid
            return {
                "our_amount": float(unpaid),
                "our_penalty": float(ours.get("penalty", 0)),
                "difference": float(difference),
                "reconcile": "match" if not difference else "differs",
            }
        oldest = ours.get("oldest")
        our_days = (row_date_or_today(self) - oldest).days if oldest and oldest < row_date_or_today(self) else 0
        principal = ours.get("principal", Decimal(0))
        difference = row.principal - principal
        same = not difference and our_days == row.days
        return {
            "our_amount": float(principal),
            "our_days_past_due": our_days,
            "difference": float(difference),
            "reconcile": "match" if same else "differs",
        }

    def action_confirm(self):
        """Check the preview and queue the booking (``_job_confirm``, channel root.student_loan.bank_import)."""
        self.ensure_one()
        self._check_importer()
        self.check_access("write")
        self._check_confirmable()
        return self._job_enqueue("_job_confirm", self.env._("Book the bank file %s", self.name))

    def _check_confirmable(self):
        if self.state != "preview":
            raise UserError(self.env._("Preview the file before confirming it."))
        if self.search_count([("file_hash", "=", self.file_hash), ("state", "=", "done"), ("id", "!=", self.id)]):
            raise UserError(self.env._("This file was imported already: nothing to do."))
        if self.error_count:
            raise UserError(
                self.env._(
                    "%(count)s rows have errors (the first: row %(row)s, %(error)s). Correct the file and "
                    "preview it again: nothing was imported.",
                    count=self.error_count,
                    row=self.line_ids.filtered(lambda line: line.status == "error")[:1].row,
                    error=self.line_ids.filtered(lambda line: line.status == "error")[:1].error,
                )
            )

    def _job_confirm(self):
        """The job: book the checked rows, one posted repayment per deduction (bank-card deduction).

        Commits every ``CONFIRM_CHUNK`` rows (``student_loan.job_chunk_size``); a row booked is marked
        done with its payment in the same step, so a retried job books only the rows left, and a job
        run again on a finished import does nothing."""
        self.ensure_one()
        self._job_lock()
        if self.state == "done":
            return self.env._("%s is imported already: nothing to do.", self.name)
        self._check_confirmable()
        if self.kind == "repayment":
            Payment = self.env["student.loan.payment"]
            lines = self.line_ids.filtered(lambda line: line.status in ("ok", "done")).sorted(
                lambda line: (line.date, line.row)
            )
            todo = lines.filtered(lambda line: line.status == "ok")
            done = len(lines) - len(todo)
            for chunk in split_every(self._job_chunk_size(self.CONFIRM_CHUNK), todo.ids, self.line_ids.browse):
                for line in chunk:
                    payment = Payment.create(
                        {
                            "contract_id": line.contract_id.id,
                            "date": line.date,
                            "amount": line.amount,
                            "channel": "bank_card",
                            "reference": line.reference,
                            "note": self.env._(
                                "Imported from %(file)s (%(name)s), row %(row)s",
                                file=self.filename or "",
                                name=self.name,
                                row=line.row,
                            ),
                        }
                    )
                    payment.action_post()
                    line.sudo().write({"payment_id": payment.id, "status": "done"})
                done += len(chunk)
                self._job_step(done, len(lines))
        booked = self.env["student.loan.bank.import.line"].search_count(
            [("import_id", "=", self.id), ("status", "=", "done")]
        )
        self.sudo().write({"state": "done", "imported_by_id": self.env.uid, "imported_on": fields.Datetime.now()})
        message = self.env._(
            "%(booked)s repayments booked, %(duplicates)s already booked, %(differences)s differences from our plans.",
            booked=booked,
            duplicates=self.duplicate_count,
            differences=self.difference_count,
        )
        self.message_post(body=message)
        return message

    def action_open_differences(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reconciliation: %s", self.name),
            "res_model": "student.loan.bank.import.line",
            "view_mode": "list,form",
            "domain": [("import_id", "=", self.id), ("reconcile", "=", "differs")],
        }


def row_date_or_today(record):
    return fields.Date.context_today(record)
