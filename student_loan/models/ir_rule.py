from odoo import models
from odoo.exceptions import AccessError


class IrRule(models.Model):
    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        """A record of another aid centre: say what the user cannot do and why, in their language."""
        if not (records._name.startswith("student.loan.") and "centre_id" in records._fields):
            return super()._make_access_error(operation, records)
        env = self.with_context(lang=self.env.user.context_get().get("lang")).env
        operations = {
            "read": env._("see"),
            "write": env._("change"),
            "create": env._("create"),
            "unlink": env._("delete"),
        }
        document = env["ir.model"]._get(records._name).name
        user = env.user
        if user.share:
            return AccessError(
                env._(
                    "You cannot %(operation)s this %(document)s: it is not yours.",
                    operation=operations[operation],
                    document=document,
                )
            )
        record = records[:1].sudo()
        return AccessError(
            env._(
                "You cannot %(operation)s %(document)s %(name)s: it belongs to the aid centre %(centre)s, which is "
                "neither your centre (%(mine)s) nor one below it. Each centre works on its own records and those "
                "of the centres below it.",
                operation=operations[operation],
                document=document,
                name=record.display_name,
                centre=record.centre_id.display_name or "-",
                mine=user.loan_centre_id.display_name or "-",
            )
        )
