import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..smslib import text as sms_text


class StudentLoanSmsTemplateCode(models.Model):
    """The code under which a message template is registered with a provider account.

    Alibaba Cloud and Tencent Cloud only send templates approved in advance: the request names the
    template code and gives the values of its variables. ``param_map`` says which Chinese placeholder
    of the Odoo template fills which provider variable, in order (Tencent Cloud takes the values as
    an ordered list; Alibaba Cloud by name), e.g. ``name=姓名, amount=金额, date=日期``.
    """

    _name = "student.loan.sms.template.code"
    _description = "Provider Template Code"
    _order = "gateway_id, template_id"

    template_id = fields.Many2one(
        "sms.template",
        string="SMS Template",
        required=True,
        ondelete="cascade",
        domain=[("model", "=", "student.loan.student")],
    )
    gateway_id = fields.Many2one("student.loan.sms.gateway", required=True, ondelete="cascade")
    provider = fields.Selection(related="gateway_id.provider")
    template_code = fields.Char(
        string="Provider Template Code",
        required=True,
        help="e.g. SMS_153055065 (Alibaba Cloud) or 1234567 (Tencent Cloud).",
    )
    param_map = fields.Char(
        string="Variables",
        help="Provider variable = placeholder, in the provider template's order, e.g. 'name=姓名, amount=金额'. "
        "Empty: the placeholders of the text, in order of appearance, under their own names.",
    )

    _sql_constraints = [
        (
            "template_gateway_unique",
            "unique(template_id, gateway_id)",
            "This template already has a code for this gateway.",
        ),
    ]

    @api.depends("template_id", "gateway_id", "template_code")
    def _compute_display_name(self):
        for mapping in self:
            mapping.display_name = f"{mapping.template_id.name} → {mapping.template_code}"

    @api.constrains("param_map", "template_id")
    def _check_param_map(self):
        for mapping in self:
            try:
                pairs = mapping._variables()
            except ValueError as error:
                raise ValidationError(str(error)) from error
            known = set(sms_text.placeholders(mapping.template_id.body or ""))
            unknown = [placeholder for _variable, placeholder in pairs if placeholder not in known]
            if unknown and known:
                raise ValidationError(
                    self.env._(
                        "The template %(template)s has no placeholder %(names)s.",
                        template=mapping.template_id.name,
                        names=", ".join("{%s}" % name for name in unknown),
                    )
                )

    def _variables(self, body=None):
        """[(provider variable, placeholder)] in order."""
        self.ensure_one()
        if not (self.param_map or "").strip():
            return [(name, name) for name in sms_text.placeholders(body or self.template_id.body or "")]
        pairs = []
        for part in re.split(r"[,，;；\n]+", self.param_map):
            part = part.strip()
            if not part:
                continue
            variable, sep, placeholder = part.partition("=")
            placeholder = placeholder.strip().strip("{}")
            if not sep or not variable.strip() or not placeholder:
                raise ValueError(self.env._("'%s' is not of the form variable=placeholder.", part))
            pairs.append((variable.strip(), placeholder))
        return pairs
