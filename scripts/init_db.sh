#!/usr/bin/env bash
# Creates the database with every project addon and demo data, or updates it when it exists.
set -eu
conf=$1; db=$2; addons=$3
ODOO_PATH=${ODOO_PATH:-/opt/odoo18}
root=$(cd "$(dirname "$0")/.." && pwd)
odoo=("$root/.venv/bin/python" "$ODOO_PATH/odoo-bin" -c "$conf" -d "$db" --stop-after-init --log-level=warn)
if psql -qAtX -d postgres -c "select 1 from pg_database where datname='$db'" | grep -q 1; then
  echo ">>> updating database $db ($addons)"
  # -i as well: an addon added since the database was made (e.g. student_loan_demo) is installed
  "${odoo[@]}" -i "$addons" -u "$addons"
else
  echo ">>> creating database $db with demo data ($addons)"
  "${odoo[@]}" -i "$addons" --load-language=zh_CN
fi
"$root/scripts/assert_installed.sh" "$db" "$addons"
