#!/usr/bin/env bash
# Regenerates every addon's i18n/<addon>.pot from the code and merges it into i18n/zh_CN.po.
#
#   scripts/i18n_export.sh [CONF] [DB]      (defaults: build/odoo.conf, student_loan_i18n)
#
# The export runs on a database WITHOUT demo data (demo records would otherwise land in the .pot):
# DB is created with every project addon (--without-demo=all) when it does not exist, updated when it
# does. New msgids get an empty msgstr (never fuzzy); the entries left to translate are listed at the
# end, and tests/test_i18n_complete.py fails until each has its Chinese text.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
conf=${1:-$root/build/odoo.conf}
db=${2:-student_loan_i18n}
ODOO_PATH=${ODOO_PATH:-/opt/odoo18}
py="$root/.venv/bin/python"
cd "$root"
addons=$(ls -d */__manifest__.py | xargs -n1 dirname | sort | paste -sd, -)
odoo=("$py" "$ODOO_PATH/odoo-bin" -c "$conf" -d "$db" --stop-after-init --log-level=warn)

if psql -qAtX -d postgres -c "select 1 from pg_database where datname='$db'" | grep -q 1; then
  echo ">>> updating $db"
  # -i as well: an addon added since the database was made is installed (without demo, as its dependencies)
  "${odoo[@]}" -i "$addons" -u "$addons" --without-demo=all
else
  echo ">>> creating $db without demo data"
  "${odoo[@]}" -i "$addons" --without-demo=all
fi
if [ "$(psql -qAtX -d "$db" -c "select count(*) from ir_module_module where demo and state='installed'")" != 0 ]; then
  echo "ERROR: $db has demo data: the .pot files would carry demo records. Use another DB name." >&2; exit 1
fi

for addon in ${addons//,/ }; do
  mkdir -p "$addon/i18n"
  echo ">>> $addon/i18n/$addon.pot"
  "${odoo[@]}" --i18n-export="$addon/i18n/$addon.pot" --modules="$addon"
done
"$py" scripts/i18n_merge.py ${addons//,/ }
