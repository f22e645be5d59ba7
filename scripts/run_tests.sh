#!/usr/bin/env bash
# make test: installs every addon into a fresh throwaway database and runs every test.
#  1. plain pytest on tests/ (code that needs no Odoo)
#  2. integration tests on the installed database (tests/integration: read replica, job runner killed mid-job)
#  3. pytest-odoo with --odoo-http on each addon's tests/ (TransactionCase, HttpCase and tours in Chromium)
# A skipped test fails the run (see conftest.py), so the Odoo tests can never pass by being skipped.
set -eu
conf=$1; db=$2; addons=$3
root=$(cd "$(dirname "$0")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo18}
py="$root/.venv/bin/python"
cd "$root"

command -v chromium >/dev/null || command -v google-chrome >/dev/null || {
  echo "ERROR: no Chromium found: the browser tests (Odoo tours) need it. apt-get install chromium" >&2; exit 2; }

cleanup() { dropdb --if-exists "$db" >/dev/null 2>&1 || true; rm -rf "$root/build/data/filestore/$db"; }
trap cleanup EXIT
cleanup

echo ">>> installing $addons into a fresh database $db"
log="$root/build/install-$db.log"
"$py" "$ODOO_PATH/odoo-bin" -c "$conf" -d "$db" -i "$addons" --stop-after-init --log-level=warn 2>&1 | tee "$log"
if grep -qE "demo data failed|Failed to load registry|ERROR $db" "$log"; then
  echo "ERROR: installing the addons logged errors (see above / $log)" >&2; exit 1
fi
"$root/scripts/assert_installed.sh" "$db" "$addons"

echo ">>> plain tests (no Odoo)"
"$py" -m pytest -q -p no:cacheprovider -p no:odoo --ignore=tests/integration tests

echo ">>> integration tests (a real primary + streaming replica, an Odoo server on them; a job runner killed mid-job)"
SL_TEST_DB="$db" SL_ODOO_CONF="$conf" "$py" -m pytest -q -p no:cacheprovider -p no:odoo tests/integration

echo ">>> Odoo tests (pytest-odoo, --odoo-http)"
testdirs=$(for a in ${addons//,/ }; do [ -d "$a/tests" ] && echo "$a/tests"; done)
"$py" -m pytest -p no:cacheprovider --odoo-config="$conf" --odoo-database="$db" --odoo-http \
  --odoo-log-level=warn $testdirs ${PYTEST_EXTRA:-}
