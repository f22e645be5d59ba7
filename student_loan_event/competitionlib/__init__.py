"""Plain-Python helpers of the integrity-education competitions (no Odoo import)."""
