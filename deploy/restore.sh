#!/usr/bin/env bash
# Restore a backup of deploy/backup.sh into a FRESH database: `DATABASE_URL=mariadb://…/linli_restored
# deploy/restore.sh file.sql.gz`. It creates the database and refuses one that already has tables (a
# restore over live data would mix the two). Then point the app's DATABASE_URL at it and start it: the
# migrations the backup lacks run at start-up, as after any upgrade.
set -euo pipefail
source "$(dirname "$0")/db-url.sh"
file=${1:?usage: DATABASE_URL=mariadb://…/new_database deploy/restore.sh backup.sql.gz}
parse_database_url "${DATABASE_URL:?DATABASE_URL names the database to restore into}"
tables=$(mariadb "${client_options[@]}" -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db_name'")
[ "$tables" = 0 ] || { echo "database $db_name already has $tables tables: restore into a new one" >&2; exit 1; }
mariadb "${client_options[@]}" -e "CREATE DATABASE IF NOT EXISTS \`$db_name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
gunzip -c "$file" | mariadb "${client_options[@]}" "$db_name"
echo "restored $file into $db_name"
