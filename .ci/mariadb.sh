#!/usr/bin/env bash
# Starts Debian's MariaDB without systemd, on loopback, with its files under $MARIADB_DIR,
# and creates a `linli` user that may create the per-test-file databases.
# Usage: .ci/mariadb.sh start | stop      Prints the DATABASE_URL to use on start.
set -euo pipefail
dir=${MARIADB_DIR:-/tmp/linli-mariadb}
port=${MARIADB_PORT:-3306}
sock="$dir/mysqld.sock"

case "${1:-start}" in
  start)
    if ! command -v mariadbd >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
    fi
    if [ -S "$sock" ] && mariadb-admin --socket="$sock" -uroot ping >/dev/null 2>&1; then
      echo "mysql://linli:linli@127.0.0.1:$port/linli"; exit 0
    fi
    mkdir -p "$dir"
    [ -d "$dir/data/mysql" ] || mariadb-install-db --user=root --datadir="$dir/data" --auth-root-authentication-method=socket >/dev/null 2>&1
    mariadbd --user=root --datadir="$dir/data" --socket="$sock" --port="$port" --bind-address=127.0.0.1 \
      --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      --innodb-flush-log-at-trx-commit=2 --max-connections=500 --pid-file="$dir/mysqld.pid" \
      >"$dir/mysqld.log" 2>&1 &
    for _ in $(seq 1 100); do
      mariadb-admin --socket="$sock" -uroot ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    mariadb --socket="$sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS linli CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'linli'@'127.0.0.1' IDENTIFIED BY 'linli';
CREATE USER IF NOT EXISTS 'linli'@'localhost' IDENTIFIED BY 'linli';
GRANT ALL PRIVILEGES ON *.* TO 'linli'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'linli'@'localhost';
FLUSH PRIVILEGES;
SQL
    echo "mysql://linli:linli@127.0.0.1:$port/linli"
    ;;
  stop)
    [ -f "$dir/mysqld.pid" ] && kill "$(cat "$dir/mysqld.pid")" 2>/dev/null || true
    ;;
esac
