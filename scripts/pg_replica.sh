#!/usr/bin/env bash
# A PostgreSQL primary and its streaming replica on this machine, for the read-replica bench.
#   scripts/pg_replica.sh start DIR PRIMARY_PORT REPLICA_PORT   creates (first time) and starts both
#   scripts/pg_replica.sh stop  DIR                             stops both
#   scripts/pg_replica.sh lag   DIR PRIMARY_PORT                replication state seen by the primary
# Both clusters live under DIR (data, sockets, logs), listen on 127.0.0.1 only and trust local
# connections: a throwaway pair for benchmarks, never a production set-up (see docs/deploy.md).
set -eu
cmd=${1:?start|stop|lag}; dir=$(realpath -m "${2:-build/pg}")
pport=${3:-5440}; rport=${4:-5441}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] || { echo "ERROR: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
run() {  # initdb and the server refuse to run as root: run them as postgres
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
me=$(id -un)

case $cmd in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -f "$dir/primary/PG_VERSION" ]; then
    run "$bindir/initdb" -D "$dir/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$dir/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pport
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 5
hot_standby = on
fsync = off
CONF
    cat > "$dir/primary/pg_hba.conf" <<HBA
local all all trust
host all all 127.0.0.1/32 trust
local replication all trust
host replication all 127.0.0.1/32 trust
HBA
  fi
  run "$bindir/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w status >/dev/null 2>&1 \
    || run "$bindir/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
  run "$bindir/psql" -qAtX -h "$dir" -p "$pport" -U postgres -d postgres \
    -c "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$me') THEN CREATE ROLE \"$me\" SUPERUSER LOGIN; END IF; END\$\$"
  if [ ! -f "$dir/replica/PG_VERSION" ]; then
    run "$bindir/pg_basebackup" -h "$dir" -p "$pport" -U postgres -D "$dir/replica" -R -X stream -c fast
    echo "port = $rport" >> "$dir/replica/postgresql.auto.conf"
  fi
  run "$bindir/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w status >/dev/null 2>&1 \
    || run "$bindir/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null
  echo "primary: host=$dir port=$pport   replica: host=$dir port=$rport (streaming, hot standby)"
  ;;
stop)
  for c in replica primary; do
    [ -f "$dir/$c/PG_VERSION" ] && run "$bindir/pg_ctl" -D "$dir/$c" -m fast -w stop >/dev/null 2>&1 || true
  done
  ;;
lag)
  run "$bindir/psql" -AtX -h "$dir" -p "$pport" -U postgres -d postgres \
    -c "SELECT application_name, state, replay_lag FROM pg_stat_replication"
  ;;
*) echo "usage: $0 start|stop|lag DIR [PRIMARY_PORT REPLICA_PORT]" >&2; exit 2 ;;
esac
