"""Plain-Python helpers of the student portal (no Odoo import), unit-tested in the repo's tests/."""
