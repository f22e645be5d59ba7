"""``odoo-bin province_risk``: print the risk table as CSV (``make province-risk``), optionally the XLSX."""

import sys
import time

import odoo
from odoo.cli import Command

from odoo.addons.student_loan_report.cli.common import database_parser, open_registry


class ProvinceRisk(Command):
    """Print the risk table (contracts in repayment, overdue, recovery and default rates, risk fund) as CSV"""

    name = "province_risk"

    def run(self, cmdargs):
        parser = database_parser("province_risk", self.__doc__)
        parser.add_argument("--as-of", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--xlsx", default="", help="also write the XLSX sheet to this file")
        parser.add_argument("--timing", action="store_true", help="print the query time on stderr")
        args = parser.parse_args(cmdargs)
        registry = open_registry(args)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            Risk = env["student.loan.risk.line"]
            as_of = odoo.fields.Date.to_date(args.as_of) if args.as_of else odoo.fields.Date.context_today(Risk)
            started = time.perf_counter()
            text = Risk._risk_csv(as_of)
            elapsed = time.perf_counter() - started
            sys.stdout.write(text)
            sys.stdout.flush()
            if args.timing:
                sys.stderr.write(f"Risk table as of {as_of}: {elapsed * 1000:.0f} ms\n")
            if args.xlsx:
                content = Risk._risk_xlsx(as_of)
                with open(args.xlsx, "wb") as handle:
                    handle.write(content)
                sys.stderr.write(f"XLSX written to {args.xlsx} ({len(content):,} bytes)\n")
