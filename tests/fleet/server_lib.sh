# server_lib.sh — shared by the server tests server_*.sh (sourced): a throwaway PostgreSQL,
# TLS material, folders registered as teams, the server on a free loopback port, small checks.
# The sourcing script sets BIN (the itsearvio binary), TOOL (fleet_tool) and HERE (tests/fleet).
# Everything lives under $tmp and is removed at exit; the cluster is stopped.
set -eu
tmp=$(mktemp -d /tmp/its-fleet.XXXXXX)
server_pid=
failures=0
passes=0

cleanup() {
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null
  sh "$HERE/pg.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { # check "what" test-command...
  what=$1; shift
  if "$@"; then ok; else fail "$what"; fi
}
finish() {
  # a sanitizer build reports into the server's log: any report is a failure
  if grep -q -e "ERROR: AddressSanitizer" -e "runtime error:" -e "ERROR: LeakSanitizer" "$tmp/server.log" 2>/dev/null; then
    fail "the sanitizers reported in the server log"; grep -m5 -A5 "ERROR\|runtime error" "$tmp/server.log" >&2
  fi
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}

q() { psql "$DSN" -Atqc "$1"; } # one value from the database

# A cluster, TLS files and the schema.
setup_db() {
  DSN=$(sh "$HERE/pg.sh" start "$tmp/pg")
  sh "$HERE/tls.sh" "$tmp/tls"
  "$BIN" server migrate --dsn "$DSN" 2>/dev/null
}

# A demo folder (kiosk mode that also holds the worker key: its records can be read back for the
# plaintext scan) registered as team TEAM. usage: make_team TEAM DIR
make_team() {
  "$BIN" init --demo --dir "$2" >/dev/null 2>&1
  [ -f "$2/keys-bundle.json" ] || "$TOOL" bundle "$2" "$2/demo-passphrase.txt"
  "$BIN" server team-add --dsn "$DSN" --team "$1" --keys-from "$2" 2>/dev/null
}

# A kiosk folder sealing to the keys of WORKER_DIR, with N demo records, enrolled in TEAM.
# usage: make_device DIR WORKER_DIR TEAM N
make_device() {
  "$BIN" init --mode kiosk --dir "$1" --keys-from "$2" >/dev/null 2>&1
  [ "$4" -gt 0 ] && "$BIN" demo --dir "$1" --count "$4" >/dev/null
  enroll "$1" "$3" >/dev/null
}

# Enrols folder DIR in TEAM with a fresh token; prints the HTTP status.
enroll() {
  token=$("$BIN" server enroll --dsn "$DSN" --team "$2" --site site-1 2>/dev/null | tail -1)
  "$TOOL" enrollreq "$1" "$token" > "$tmp/enroll.json"
  post enroll "$tmp/enroll.json" "$tmp/enrolled.json"
}

# Starts the server (log in $tmp/server.log, appended) and waits for its port.
start_server() {
  "$BIN" server run --dsn "$DSN" --listen 127.0.0.1:0 --tls-cert "$tmp/tls/server.pem" \
    --tls-key "$tmp/tls/server.key" --threads "${THREADS:-4}" 2>>"$tmp/server.log" &
  server_pid=$!
  for _ in $(seq 100); do
    PORT=$(grep -o 'listening on port [0-9]*' "$tmp/server.log" | tail -1 | grep -o '[0-9]*$' || true)
    [ -n "$PORT" ] && [ "$PORT" != "${OLD_PORT:-}" ] && break
    sleep 0.1
  done
  OLD_PORT=$PORT
  URL=https://127.0.0.1:$PORT
}

# SIGTERM; returns the server's exit status.
stop_server() {
  kill -TERM "$server_pid"
  st=0
  wait "$server_pid" || st=$?
  server_pid=
  return $st
}

# POSTs FILE to /v1/ENDPOINT; the answer goes to OUT; prints the HTTP status.
post() {
  curl -sS --cacert "$tmp/tls/ca.pem" --data-binary "@$2" -o "$3" -w '%{http_code}' "$URL/v1/$1" || true
}

# Upload answer FILE as "stored duplicate conflict refused audit".
counts() { "$TOOL" answer "$1"; }

# Waits until a statement of the server waits on a lock (the lock trick of the fault tests).
wait_for_lock_wait() {
  for _ in $(seq 200); do
    [ "$(q "SELECT count(*) FROM pg_locks WHERE NOT granted")" -gt 0 ] && return 0
    sleep 0.05
  done
  return 1
}
