# Sourced by the backup scripts: DATABASE_URL (the app's own variable, mariadb:// or mysql://) split
# into the client's options. The password goes through MYSQL_PWD, not the command line (ps shows that).
parse_database_url() { # url
  local re='^(mariadb|mysql)://([^:@/]+)(:([^@]*))?@([^:/]+)(:([0-9]+))?/([A-Za-z0-9_$]+)'
  [[ "$1" =~ $re ]] || { echo "not a mariadb://user:password@host:port/database URL: ${1//:*@/:…@}" >&2; return 2; }
  db_user=${BASH_REMATCH[2]}
  export MYSQL_PWD=${BASH_REMATCH[4]}
  db_host=${BASH_REMATCH[5]}
  db_port=${BASH_REMATCH[7]:-3306}
  db_name=${BASH_REMATCH[8]}
  client_options=(--host="$db_host" --port="$db_port" --user="$db_user" --default-character-set=utf8mb4)
}
