"""``odoo-bin province_stats``: print the R1 table as CSV (``make province-stats``), optionally the XLSX."""

import sys
import time

import odoo
from odoo.cli import Command

from .common import database_parser, open_registry


class ProvinceStats(Command):
    """Print the R1 statistics (contracts, amount, first loans, renewals per statistics unit) as CSV"""

    name = "province_stats"

    def run(self, cmdargs):
        parser = database_parser("province_stats", self.__doc__)
        parser.add_argument("--as-of", default="", help="YYYY-MM-DD (default: the last signing date in the database)")
        parser.add_argument("--year", type=int, default=0, help="academic year (default: the one the date falls in)")
        parser.add_argument("--xlsx", default="", help="also write the XLSX table to this file")
        parser.add_argument("--timing", action="store_true", help="print the query time on stderr")
        args = parser.parse_args(cmdargs)
        registry = open_registry(args)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            Statistics = env["student.loan.statistics"]
            as_of = args.as_of or Statistics._latest_signing_date() or odoo.fields.Date.context_today(Statistics)
            started = time.perf_counter()
            text = Statistics._r1_csv(as_of, args.year or None)
            elapsed = time.perf_counter() - started
            sys.stdout.write(text)
            sys.stdout.flush()
            if args.timing:
                sys.stderr.write(f"R1 table as of {as_of}: {elapsed * 1000:.0f} ms\n")
            if args.xlsx:
                started = time.perf_counter()
                content = Statistics._r1_xlsx(as_of, args.year or None)
                with open(args.xlsx, "wb") as handle:
                    handle.write(content)
                sys.stderr.write(
                    f"XLSX written to {args.xlsx} ({len(content):,} bytes, {time.perf_counter() - started:.2f} s)\n"
                )
