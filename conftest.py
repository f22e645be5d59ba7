"""Project-wide pytest hooks.

A skipped test fails the run: an Odoo test skipped (no Chromium for a tour, no ``--odoo-http``
for an HttpCase, no database) proves nothing, and ``make test`` must never pass that way.
Set ``ALLOW_SKIPPED_TESTS=1`` to relax this locally.
"""

import os

import pytest


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("ALLOW_SKIPPED_TESTS") == "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"ERROR: {len(skipped)} test(s) skipped; skipped tests are failures here "
            "(install what they need: see README).",
            red=True,
        )
        for report in skipped:
            reporter.write_line(f"  skipped: {report.nodeid}: {report.longrepr}")
        session.exitstatus = 1
