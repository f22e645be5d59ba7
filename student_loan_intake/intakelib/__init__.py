"""Plain-Python arithmetic and parsing of the intake addon (no Odoo import, tested with plain pytest).

- :mod:`.forecast`: the queue's stations, waiting/service times, arrival forecast, staffing, bottleneck.
- :mod:`.poverty`: reading and checking the poverty office's register (XLSX/CSV), and its diff.
"""
