#!/usr/bin/env bash
# Stops with a clear message when Odoo 18 or PostgreSQL cannot be found.
set -u
ODOO_PATH=${ODOO_PATH:-/opt/odoo18}
fail() { echo >&2; echo "ERROR: $*" >&2; echo >&2; exit 2; }
if [ ! -f "$ODOO_PATH/odoo-bin" ] || [ ! -f "$ODOO_PATH/odoo/release.py" ]; then
  fail "Odoo 18 source tree not found at ODOO_PATH=$ODOO_PATH.
  Get an Odoo 18.0 community checkout (e.g. git clone --depth 1 -b 18.0 <odoo repository> /opt/odoo18)
  and either put it at /opt/odoo18 or run: make <target> ODOO_PATH=/path/to/odoo"
fi
if ! grep -q "version_info = (18, 0" "$ODOO_PATH/odoo/release.py"; then
  fail "ODOO_PATH=$ODOO_PATH is not Odoo 18.0 ($(grep -m1 '^version_info' "$ODOO_PATH/odoo/release.py"))."
fi
command -v python3 >/dev/null || fail "python3 (3.11) not found."
if ! command -v pg_isready >/dev/null; then
  fail "PostgreSQL client tools (pg_isready, createdb, dropdb, psql) not found: install PostgreSQL (apt-get install postgresql)."
fi
if ! pg_isready -q ${PGHOST:+-h "$PGHOST"} ${PGPORT:+-p "$PGPORT"}; then
  fail "PostgreSQL is not accepting connections${PGHOST:+ on $PGHOST}. Start it (e.g. pg_ctlcluster 15 main start)
  or point PGHOST/PGPORT/PGUSER at a running server where the current user may create databases."
fi
if ! psql -qAtX -d postgres -c 'select 1' >/dev/null 2>&1; then
  fail "PostgreSQL is running but refuses user '${PGUSER:-$(id -un)}': create a role that may create databases
  (sudo -u postgres createuser -s $(id -un)) or set PGUSER."
fi
exit 0
