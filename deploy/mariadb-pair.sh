#!/usr/bin/env bash
# A MariaDB primary and a real replica of it (GTID replication), both Debian's mariadbd, on loopback,
# without systemd, their files under $PAIR_DIR: what the replica and cluster tests run against, and a
# small model of docs/deploy.md's database tier.
#
# Usage: deploy/mariadb-pair.sh start | stop | purge (stop, remove the files) | stop-replica | start-replica | kill-replica | status
#   PAIR_DIR (default /tmp/linli-pair), PRIMARY_PORT (3406), REPLICA_PORT (3407), REPLICA_DELAY (seconds, 0)
# `start` prints two lines: the primary's URL (user linli, every right) and the replica's (user
# linli_read: SELECT and SLAVE MONITOR only — the app never writes there, and sees the replication's lag).
set -euo pipefail
dir=${PAIR_DIR:-/tmp/linli-pair}
primary_port=${PRIMARY_PORT:-3406}
replica_port=${REPLICA_PORT:-3407}
delay=${REPLICA_DELAY:-0}

sock() { echo "$dir/$1/mysqld.sock"; }
as_root() { local name=$1; shift; mariadb --socket="$(sock "$name")" -uroot "$@"; }
alive() { [ -S "$(sock "$1")" ] && mariadb-admin --socket="$(sock "$1")" -uroot ping >/dev/null 2>&1; }

# One mariadbd: a fresh datadir on first start, then its own server id, binary log and port.
start_server() { # name port server-id extra-options…
  local name=$1 port=$2 id=$3; shift 3
  alive "$name" && return 0
  mkdir -p "$dir/$name"
  [ -d "$dir/$name/data/mysql" ] || mariadb-install-db --user=root --datadir="$dir/$name/data" --auth-root-authentication-method=socket >/dev/null 2>&1
  mariadbd --user=root --datadir="$dir/$name/data" --socket="$(sock "$name")" --port="$port" --bind-address=127.0.0.1 \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --server-id="$id" --log-bin="$dir/$name/binlog" --binlog-format=ROW --log-slave-updates=ON \
    --innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=64M --max-connections=300 \
    --pid-file="$dir/$name/mysqld.pid" "$@" >"$dir/$name/mysqld.log" 2>&1 &
  for _ in $(seq 1 150); do alive "$name" && return 0; sleep 0.1; done
  echo "mariadbd $name did not start; see $dir/$name/mysqld.log" >&2; exit 1
}

stop_server() { # name signal
  local pid; pid=$(cat "$dir/$1/mysqld.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

case "${1:-start}" in
  start)
    command -v mariadbd >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null; }
    fresh=0; [ -d "$dir/replica/data/mysql" ] || fresh=1
    start_server primary "$primary_port" 1
    start_server replica "$replica_port" 2 --read-only=ON --relay-log="$dir/replica/relay"
    if [ "$fresh" = 1 ]; then
      # Everything from here on is in the primary's binary log and so reaches the replica: users and databases alike.
      as_root primary <<SQL
CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'repl';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
CREATE USER 'linli'@'127.0.0.1' IDENTIFIED BY 'linli';
GRANT ALL PRIVILEGES ON *.* TO 'linli'@'127.0.0.1';
CREATE USER 'linli_read'@'127.0.0.1' IDENTIFIED BY 'linli_read';
GRANT SELECT, SLAVE MONITOR ON *.* TO 'linli_read'@'127.0.0.1';
CREATE DATABASE linli CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
SQL
      as_root replica <<SQL
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port, MASTER_USER='repl', MASTER_PASSWORD='repl',
  MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_DELAY=$delay;
START SLAVE;
SQL
    fi
    for _ in $(seq 1 100); do
      [ "$(as_root replica -N -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'linli'")" = 1 ] && break
      sleep 0.1
    done
    echo "mariadb://linli:linli@127.0.0.1:$primary_port/linli"
    echo "mariadb://linli_read:linli_read@127.0.0.1:$replica_port/linli"
    ;;
  stop) stop_server replica TERM; stop_server primary TERM ;;
  purge) stop_server replica TERM; stop_server primary TERM; rm -rf "$dir" ;;
  stop-replica) stop_server replica TERM ;;
  kill-replica) stop_server replica KILL ;;
  start-replica) start_server replica "$replica_port" 2 --read-only=ON --relay-log="$dir/replica/relay" ;;
  status) as_root replica -e 'SHOW REPLICA STATUS\G' | grep -E 'Running|Behind|Gtid_IO_Pos|Last_.*Error:' ;;
  *) echo "usage: $0 start|stop|purge|stop-replica|start-replica|kill-replica|status" >&2; exit 2 ;;
esac
