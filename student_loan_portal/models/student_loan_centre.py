from odoo import api, models

HOME_CENTRE_KINDS = ("county", "direct_county", "province_admin")


class StudentLoanCentre(models.Model):
    _inherit = "student.loan.centre"

    def _portal_is_home_centre(self):
        """Students register with a county-level centre (by household registration)."""
        self.ensure_one()
        return self.active and (self.division_kind in HOME_CENTRE_KINDS or not self.child_ids)

    @api.model
    def _portal_picker_data(self):
        """Province → city → county tree for the registration pickers (one query)."""
        centres = self.search([("active", "=", True)])
        by_parent = {}
        for centre in centres:
            by_parent.setdefault(centre.parent_id.id, []).append(centre)

        def node(centre, depth):
            data = {"id": centre.id, "name": centre.name, "code": centre.code}
            children = by_parent.get(centre.id, [])
            if depth < 2 and children:
                data["children"] = [node(child, depth + 1) for child in children]
            return data

        return [node(province, 0) for province in by_parent.get(False, [])]
