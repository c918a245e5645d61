#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb in a temp dir, a free loopback port, never the
# machine's default cluster or port. Exports PG_ADMIN_URL (superuser, database "postgres"), PG_BIN_DIR, and
# PG_DATA_DIR and PG_LOG_FILE (for tests that restart the cluster: `pg_ctl restart -D "$PG_DATA_DIR" -l "$PG_LOG_FILE"`,
# as the `postgres` OS user when run as root) to the command and stops and deletes the cluster afterwards, whether
# the command passed or failed.
#   PG_TUNING=fast   relaxes durability for the test suite (fsync off); the benchmark keeps the defaults.
#   PG_EXTRA_OPTS    more server options (`-c name=value ...`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/ensure-system-packages.sh"

pg_bin=""
for d in /usr/lib/postgresql/*/bin; do
  if [ -x "$d/initdb" ]; then pg_bin="$d"; fi
done
[ -n "$pg_bin" ] || pg_bin="$(dirname "$(command -v initdb)")"

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
cluster_dir="$(mktemp -d -t lumi-pg-XXXXXX)"

# initdb refuses to run as root; the cluster then belongs to an unprivileged user.
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  chown postgres "$cluster_dir"
  run_as=(runuser -u postgres --)
fi

cleanup() {
  local status=$?
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$cluster_dir"
  exit "$status"
}
trap cleanup EXIT INT TERM

"${run_as[@]}" "$pg_bin/initdb" -D "$cluster_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$cluster_dir -c max_connections=300"
opts="$opts -c shared_buffers=256MB -c timezone=UTC"
# PG_EXTRA_OPTS: more server options, e.g. '-c shared_preload_libraries=pg_stat_statements' (bench:api's profile).
opts="$opts ${PG_EXTRA_OPTS:-}"
if [ "${PG_TUNING:-}" = "fast" ]; then
  opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -o "$opts" -w start >/dev/null

export PG_ADMIN_URL="postgres://postgres@127.0.0.1:$port/postgres"
export PG_BIN_DIR="$pg_bin"
export PG_DATA_DIR="$cluster_dir/data"
export PG_LOG_FILE="$cluster_dir/server.log"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port (throwaway, $cluster_dir)"

set +e
"$@"
status=$?
set -e
exit "$status"
