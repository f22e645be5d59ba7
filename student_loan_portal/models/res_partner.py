from odoo import fields, models


class ResPartner(models.Model):
    """The portal's pages show the user's avatar (/my and its side card, the user menu).

    For a portal user the avatar computed in their own rights re-checks access on the partner's users
    (record rules with ``child_of`` on partners) at every page: about 40 % of the CPU of ``/my``
    (bench/bench_http_load.py). Computed as superuser, the value is the same: a partner's avatar is
    its image, its initials or a placeholder, whatever the reader.
    """

    _inherit = "res.partner"

    avatar_1920 = fields.Image(compute_sudo=True)
    avatar_1024 = fields.Image(compute_sudo=True)
    avatar_512 = fields.Image(compute_sudo=True)
    avatar_256 = fields.Image(compute_sudo=True)
    avatar_128 = fields.Image(compute_sudo=True)
