#!/usr/bin/env bash
# Fails unless every addon given is installed in the database (odoo-bin may exit 0 after a failed install).
set -eu
db=$1; addons=$2
missing=$(psql -qAtX -d "$db" -c "
  select string_agg(n, ',') from unnest(string_to_array('$addons', ',')) n
  where not exists (select 1 from ir_module_module m where m.name = n and m.state = 'installed')")
if [ -n "$missing" ]; then
  echo "ERROR: addons not installed in $db: $missing (see the log above)" >&2
  exit 1
fi
