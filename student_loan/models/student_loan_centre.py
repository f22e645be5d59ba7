from odoo import api, fields, models


class StudentLoanCentre(models.Model):
    """An aid centre (资助中心) of one administrative division.

    Province → city → county/district; the province-administered division (济源) and the
    directly-managed counties (省直管县) report straight to the province. Record rules use the
    hierarchy: a user sees the records of their centre and of every centre below it.
    """

    _name = "student.loan.centre"
    _description = "Aid Centre"
    _parent_store = True
    _order = "code"
    _rec_names_search = ["name", "code"]

    DIVISION_KINDS = [
        ("province", "Province"),
        ("city", "City"),
        ("province_admin", "Province-administered division"),
        ("direct_county", "Directly-managed county"),
        ("county", "County / district"),
    ]

    name = fields.Char(required=True, translate=False)
    code = fields.Char(
        string="Region Code",
        required=True,
        size=6,
        help="GB/T 2260 administrative division code.",
    )
    division_kind = fields.Selection(DIVISION_KINDS, string="Kind of Division", required=True)
    parent_id = fields.Many2one("student.loan.centre", string="Reports To", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("student.loan.centre", "parent_id", string="Centres Below")
    reporting_city_id = fields.Many2one(
        "student.loan.centre",
        string="Statistics Unit",
        compute="_compute_reporting_city_id",
        store=True,
        recursive=True,
        help="The city for counties under a city; the centre itself for cities, the "
        "province-administered division and directly-managed counties.",
    )
    user_ids = fields.One2many("res.users", "loan_centre_id", string="Staff")
    supervisor_id = fields.Many2one(
        "res.users",
        string="Supervisor (负责人)",
        domain="[('share', '=', False)]",
        help="Reviews the centre's cases at the approval step. Empty: every supervisor of the centre (or of the "
        "closest centre above with supervisors).",
    )
    phone = fields.Char()
    address = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Another aid centre already has this region code."),
    ]

    @api.depends("division_kind", "parent_id.reporting_city_id")
    def _compute_reporting_city_id(self):
        for centre in self:
            if centre.division_kind == "county":
                centre.reporting_city_id = centre.parent_id.reporting_city_id
            elif centre.division_kind == "province":
                centre.reporting_city_id = False
            else:
                centre.reporting_city_id = centre

    @api.depends("name", "code")
    def _compute_display_name(self):
        for centre in self:
            centre.display_name = f"{centre.name} ({centre.code})" if centre.code else centre.name

    def _get_staff(self, group_xmlid):
        """Active users of this centre who are in the group (used to route activities)."""
        self.ensure_one()
        group = self.env.ref(group_xmlid)
        return self.user_ids.filtered(lambda user: group in user.groups_id and user.active)

    def _get_reviewers(self, group_xmlid, exclude_xmlid=None):
        """Users in the group at this centre or, when it has none, at the closest centre above it."""
        self.ensure_one()
        domain = [
            ("groups_id", "in", self.env.ref(group_xmlid).ids),
            ("loan_centre_id", "parent_of", self.id),
            ("share", "=", False),
        ]
        if exclude_xmlid:
            domain.append(("groups_id", "not in", self.env.ref(exclude_xmlid).ids))
        users = self.env["res.users"].sudo().search(domain)
        if not users:
            return users
        depth = max(len(user.loan_centre_id.parent_path or "") for user in users)
        return users.filtered(lambda user: len(user.loan_centre_id.parent_path or "") == depth).sorted("id")

    def _get_supervisors(self):
        """The centre's supervisor (负责人), or its supervisors, or those of the closest centre above."""
        self.ensure_one()
        if self.supervisor_id.active:
            return self.supervisor_id
        return self._get_reviewers("student_loan.group_supervisor")

    def _get_city_reviewers(self):
        """The reviewers of the city above a county (its supervisor); the province's for the others."""
        self.ensure_one()
        city = self.reporting_city_id if self.division_kind == "county" else self.parent_id
        return city._get_supervisors() if city else self.env["res.users"]

    def _get_bank_users(self):
        """The bank's liaisons for the centre (not the province administrators, who are in the bank's group)."""
        self.ensure_one()
        return self._get_reviewers("student_loan.group_bank", exclude_xmlid="student_loan.group_handler") or (
            self._get_reviewers("student_loan.group_bank")
        )
