#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the fleet tests, on loopback only.
# usage: tests/fleet/pg.sh start DIR     initdb in DIR/data (first time), start, print the DSN
#        tests/fleet/pg.sh stop DIR      fast shutdown (DIR is kept; remove it yourself)
#        tests/fleet/pg.sh restart DIR   stop and start on the same port, print the DSN
#        tests/fleet/pg.sh kill DIR      SIGKILL the postmaster (crash; start recovers)
# DIR is made and given to the postgres user: CI runs as root and initdb refuses root. As any
# other user, the cluster runs as that user. The port is free at start and kept in DIR/port.
set -eu
cmd=${1:?usage: pg.sh start|stop|restart|kill DIR}
dir=${2:?usage: pg.sh start|stop|restart|kill DIR}
bin=$( (pg_config --bindir 2>/dev/null; ls -d /usr/lib/postgresql/15/bin 2>/dev/null) |
  while read -r b; do [ -x "$b/initdb" ] && echo "$b" && break; done)
[ -n "$bin" ] || { echo "pg.sh: PostgreSQL 15 is not installed (run tools/install-deps.sh)" >&2; exit 2; }

as_pg() { # runs a command as the cluster's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() { # a port nobody listens on, from the kernel
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    # A mktemp -d parent is 0700: let postgres pass through it (not read it).
    runuser -u postgres -- test -x "$(dirname "$dir")" || chmod o+x "$(dirname "$dir")"
    runuser -u postgres -- test -w "$dir" ||
      { echo "pg.sh: the postgres user cannot reach $dir (a parent folder is closed)" >&2; exit 1; }
  fi
  chmod 700 "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -A trust --no-sync -U postgres -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  port=$(cat "$dir/port" 2>/dev/null || free_port)
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
    { tail -20 "$dir/server.log" >&2; exit 1; }
  echo "$port" > "$dir/port"
  echo "host=127.0.0.1 port=$port dbname=postgres user=postgres"
}

stop() {
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

case $cmd in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  kill) pid=$(head -1 "$dir/data/postmaster.pid"); kill -9 "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done ;;
  *) echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
