"""What every ``odoo-bin`` command of the project shares: ``-c``/``-d`` and opening the database."""

import argparse
import sys

import odoo
from odoo.tools import config


def database_parser(prog, description):
    """An argument parser with the server's ``-c CONFIG`` and ``-d DATABASE``; add the command's own."""
    parser = argparse.ArgumentParser(prog=f"odoo-bin {prog}", description=description)
    parser.add_argument("-c", "--config", dest="config")
    parser.add_argument("-d", "--database", dest="database")
    return parser


def open_registry(args):
    """Read the configuration (``-c``, ``-d``; warnings only in the log) and return the database's
    registry; stops with a message when no database is given."""
    config_args = ["--log-level=warn"]
    if args.config:
        config_args += ["-c", args.config]
    if args.database:
        config_args += ["-d", args.database]
    config.parse_config(config_args)
    if not config["db_name"]:
        sys.exit("Give the database with -d.")
    return odoo.modules.registry.Registry(config["db_name"])
