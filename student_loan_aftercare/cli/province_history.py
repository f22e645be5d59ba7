"""``odoo-bin province_history``: the synthetic province's repayment history (``make province-history``)."""

import sys
import time

import odoo
from odoo.cli import Command
from odoo.tools import config

from odoo.addons.student_loan_report.cli.common import database_parser, open_registry

from ..populate.repayment_history import load_history


class ProvinceHistory(Command):
    """Load a synthetic repayment history (settlements, deductions, overdue loans, defaults, 代偿)"""

    name = "province_history"

    def run(self, cmdargs):
        parser = database_parser("province_history", self.__doc__)
        parser.add_argument("--as-of", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--years", type=int, default=4, help="years of settlements before the date")
        args = parser.parse_args(cmdargs)
        registry = open_registry(args)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            as_of = odoo.fields.Date.to_date(args.as_of) if args.as_of else odoo.fields.Date.context_today(env.user)
            started = time.perf_counter()
            counts = load_history(env, as_of, seed=args.seed, years=args.years)
            if counts.get("skipped"):
                sys.stdout.write(f"{config['db_name']} has settlements already: the history is not loaded again.\n")
                return
            sys.stdout.write(
                f"Repayment history as of {as_of} loaded in {time.perf_counter() - started:.1f} s: {counts}\n"
            )
