#!/usr/bin/env bash
# Writes the Odoo configuration used by make run / make test.
set -eu
conf=$1; port=${2:-8069}
root=$(cd "$(dirname "$0")/.." && pwd)
ODOO_PATH=${ODOO_PATH:-/opt/odoo18}
# the OCA wheels (requirements-oca.txt) install their addons under the venv's site-packages/odoo/addons
oca=$("$root/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/odoo/addons
cat > "$conf" <<CONF
[options]
addons_path = $ODOO_PATH/odoo/addons,$ODOO_PATH/addons,$oca,$root
data_dir = $root/build/data
http_port = $port
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = ${PGPASSWORD:-False}
list_db = False
log_level = info
CONF
