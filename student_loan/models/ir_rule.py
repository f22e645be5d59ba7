from odoo import models
from odoo.exceptions import AccessError


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """A record of another aid centre: say what the user cannot do and why, in their language."""
        if not (records._name.startswith("student.loan.") and "centre_id" in records._fields):
            return super()._make_access_error(operation, records)
        self = self.with_context(self.env.user.context_get())  # noqa: PLW0642 (as the core method does)
        operations = {
            "read": self.env._("see"),
            "write": self.env._("change"),
            "create": self.env._("create"),
            "unlink": self.env._("delete"),
        }
        record = records[:1].sudo()
        user = self.env.user
        if user.share:
            message = self.env._(
                "You cannot %(operation)s this %(document)s: it is not yours.",
                operation=operations[operation],
                document=self.env["ir.model"]._get(records._name).name,
            )
        else:
            message = self.env._(
                "You cannot %(operation)s %(document)s %(name)s: it belongs to the aid centre %(centre)s, which is "
                "neither your centre (%(mine)s) nor one below it. Each centre works on its own records and those "
                "of the centres below it.",
                operation=operations[operation],
                document=self.env["ir.model"]._get(records._name).name,
                name=record.display_name,
                centre=record.centre_id.display_name or "-",
                mine=user.loan_centre_id.display_name or "-",
            )
        return AccessError(message)
