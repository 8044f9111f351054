#!/usr/bin/env bash
# The backup and restore of docs/deploy.md, done once end to end on a MariaDB server:
#   CHECK_SERVER_URL=mariadb://linli:linli@127.0.0.1:3306 deploy/backup-restore-check.sh
# 1. the production build starts on a new database (migrations, demo seed) and stops;
# 2. deploy/backup.sh dumps it; deploy/restore.sh loads the dump into another new database;
# 3. every table of the two is compared (row count and CHECKSUM TABLE);
# 4. the app starts on the restored database: no migration left to run, /readyz answers 200.
# Both databases are dropped at the end. Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
server=${CHECK_SERVER_URL:-mariadb://linli:linli@127.0.0.1:3306}
server=${server%/}
source deploy/db-url.sh
parse_database_url "$server/mysql"
source_db=linli_backup_check_$$
restored_db=linli_restore_check_$$
work=$(mktemp -d /tmp/linli-backup-check.XXXXXX)
app_pid=
sql() { mariadb "${client_options[@]}" -N -e "$1"; }
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  sql "DROP DATABASE IF EXISTS $source_db; DROP DATABASE IF EXISTS $restored_db" || true
  rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS

# Starts the production server on a database, waits for /readyz, leaves its log in $work/$2.log.
start_app() { # database log-name seed
  local port; port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  NODE_ENV=production JWT_SECRET=backup-check PORT=$port DATA_DIR="$work/data-$2" LOG_LEVEL=info SEED_DEMO=$3 \
    DATABASE_URL="$server/$1" node server/dist/main.js >"$work/$2.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/$2.log" >&2; echo "the app exited on $1" >&2; exit 1; }
    sleep 0.2
  done
  echo "the app on $1 was not ready in 60 s" >&2; exit 1
}
stop_app() { kill "$app_pid"; wait "$app_pid" || true; app_pid=; }

[ -f server/dist/main.js ] || node deploy/build-server.mjs
sql "CREATE DATABASE $source_db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
start_app "$source_db" source on
stop_app

backup=$(DATABASE_URL="$server/$source_db" deploy/backup.sh "$work/backup.sql.gz")
DATABASE_URL="$server/$restored_db" deploy/restore.sh "$backup" >/dev/null
echo "backup: $(du -h "$backup" | cut -f1) gzipped"

tables=$(sql "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$source_db' ORDER BY TABLE_NAME")
[ -n "$tables" ] || { echo "no tables in $source_db" >&2; exit 1; }
differ=0 rows=0
for table in $tables; do
  a=$(sql "SELECT COUNT(*) FROM $source_db.\`$table\`"); b=$(sql "SELECT COUNT(*) FROM $restored_db.\`$table\`" 2>/dev/null || echo missing)
  ca=$(sql "CHECKSUM TABLE $source_db.\`$table\`" | cut -f2); cb=$(sql "CHECKSUM TABLE $restored_db.\`$table\`" | cut -f2)
  rows=$((rows + a))
  if [ "$a" != "$b" ] || [ "$ca" != "$cb" ]; then echo "table $table differs: $a rows (checksum $ca) → $b rows (checksum $cb)" >&2; differ=1; fi
done
[ "$differ" = 0 ] || exit 1
echo "restored: $(wc -w <<<"$tables") tables, $rows rows, each table's rows and checksum equal"

start_app "$restored_db" restored off
grep -q '"msg":"schema up to date"' "$work/restored.log" || { cat "$work/restored.log" >&2; echo "the app on the restored database did not find its schema up to date" >&2; exit 1; }
stop_app
echo "the app started on the restored database: schema up to date, /readyz 200 ($((SECONDS - started)) s in all)"
