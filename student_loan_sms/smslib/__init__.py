"""Pure-Python helpers of the SMS addon (no Odoo import): message text, phone numbers, quiet hours,
retry back-off, and the request signatures of the SMS providers."""
