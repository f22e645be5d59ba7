"""Plain-Python helpers of the report addon (no Odoo import): exact splits, the synthetic
province plan, the R1 table layout (CSV and XLSX)."""
