#!/usr/bin/env bash
# Backup of the app's database: `DATABASE_URL=mariadb://… deploy/backup.sh [file.sql.gz]`
# (default linli-<database>-<UTC time>.sql.gz here). One consistent snapshot without locking the app
# out (--single-transaction: every table is InnoDB), written as SQL and gzipped. Point DATABASE_URL at
# a replica to spare the primary (its user needs SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK TABLES).
# Uploads are not in the database: back up the object store's bucket (or DATA_DIR/uploads) beside it.
set -euo pipefail
source "$(dirname "$0")/db-url.sh"
parse_database_url "${DATABASE_URL:?DATABASE_URL names the database to back up}"
out=${1:-linli-$db_name-$(date -u +%Y%m%dT%H%M%SZ).sql.gz}
tmp="$out.partial"
# The file appears under its name only when the dump is whole: a failed dump leaves no backup that looks good.
mariadb-dump "${client_options[@]}" --single-transaction --quick --hex-blob --routines --events --triggers \
  --no-tablespaces "$db_name" | gzip -6 >"$tmp"
mv "$tmp" "$out"
echo "$out"
