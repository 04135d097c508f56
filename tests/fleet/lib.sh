# lib.sh — what the fleet's end-to-end tests, fault tests and benchmark share (sourced, POSIX sh):
# a throwaway PostgreSQL (pg.sh), TLS material (tls.sh), a worker folder registered as team
# "north", the ingest server on a free loopback port, and enrolled devices.
# Needs: $its (the itsearvio binary), $here (tests/fleet), $tmp (an empty temporary folder).

fail() { echo "FAIL: $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() { # waits up to 20 s for something to listen on 127.0.0.1:$1
  python3 - "$1" <<'PY' || fail "nothing listens on port $1"
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

fleet_cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null
  sh "$here/pg.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}

# Starts PostgreSQL, makes TLS material and the worker folder, migrates, registers team north.
fleet_setup() {
  dsn=$(sh "$here/pg.sh" start "$tmp/pg")
  sh "$here/tls.sh" "$tmp/tls"
  printf 'worker-passphrase-1\n' > "$tmp/pass"
  "$its" init --mode worker --dir "$tmp/worker" --passphrase-file "$tmp/pass" \
    --recovery-out "$tmp/recovery.json" 2>"$tmp/init.log" || { cat "$tmp/init.log"; fail "worker init"; }
  "$its" server migrate --dsn "$dsn" >/dev/null || fail "server migrate"
  "$its" server team-add --dsn "$dsn" --team north --keys-from "$tmp/worker" >/dev/null ||
    fail "server team-add"
  port=$(free_port)
  url="https://127.0.0.1:$port"
  server_start
}

server_start() {
  "$its" server run --dsn "$dsn" --listen "127.0.0.1:$port" --tls-cert "$tmp/tls/server.pem" \
    --tls-key "$tmp/tls/server.key" >>"$tmp/server.log" 2>&1 &
  server_pid=$!
  wait_port "$port"
}

server_kill() { # SIGKILL: no goodbye, batches in flight die with it
  kill -9 "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=
}

token() { "$its" server enroll --dsn "$dsn" --team north --site "${1:-clinic-a}" 2>/dev/null | tail -1; }

# enrol DIR [SERVER_URL]: a kiosk enrolled with a fresh token
enrol() {
  "$its" init --mode kiosk --dir "$1" --server "${2:-$url}" --ca "$tmp/tls/ca.pem" --token "$(token)" \
    2>>"$tmp/enrol.log" || { cat "$tmp/enrol.log"; fail "enrol $1"; }
}

rows() { psql "$dsn" -Atc "SELECT count(*) FROM records"; }
distinct_rows() { psql "$dsn" -Atc "SELECT count(DISTINCT record_id) FROM records"; }

# sync_until_done DIR MAX: runs sync until it exits 0 (at most MAX times); prints the tries
sync_until_done() {
  n=0
  until "$its" sync --dir "$1" >"$tmp/sync.out" 2>>"$tmp/sync.err"; do
    n=$((n + 1)); [ "$n" -lt "$2" ] || { tail -3 "$tmp/sync.err"; fail "sync of $1 did not finish in $2 tries"; }
  done
  echo "$n"
}
