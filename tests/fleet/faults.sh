#!/bin/sh
# Fleet faults, each ending with nothing lost and nothing stored twice (counted in PostgreSQL
# with psql): the connection cut at random points of batches (cutproxy), the server killed and
# restarted mid-batch, PostgreSQL restarted mid-upload, two devices uploading at once.
# usage: faults.sh ITSEARVIO_BINARY CUTPROXY_BINARY TESTS_FLEET_DIR
set -eu
its=$1; proxy=$2; here=$3
tmp=$(mktemp -d)
trap fleet_cleanup EXIT
. "$here/lib.sh"
fleet_setup

expect_rows() { # expect_rows N WHAT
  [ "$(rows)" = "$1" ] || fail "$2: PostgreSQL holds $(rows) records, not $1"
  [ "$(distinct_rows)" = "$1" ] || fail "$2: a record is stored twice"
}
outbox_empty() {
  [ "$(sqlite3 "$1/store.db" 'select count(*) from outbox')" = 0 ] || fail "$1: the outbox is not empty"
}

# --- the connection cut at random points ------------------------------------------------------
pport=$(free_port)
proxy_start() { # proxy_start SEED CUTS MAX_BYTES
  "$proxy" "$pport" "$port" "$1" "$2" "$3" >/dev/null &
  proxy_pid=$!
  wait_port "$pport"
}
proxy_start 1 0 1
enrol "$tmp/cut" "https://127.0.0.1:$pport"
"$its" demo --dir "$tmp/cut" --count 500 --seed 11 2>/dev/null
kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
proxy_start 42 30 400000
tries=$(sync_until_done "$tmp/cut" 40)
expect_rows 500 "cut connections"
outbox_empty "$tmp/cut"
echo "cut connections: 500 records through 30 cuts in $tries failed syncs"

# interrupted NAME SEED EXPECTED_ROWS WHAT ACTION…: 800 records on a new device; ACTION runs while
# its sync is in the middle of the batches; then syncs finish the upload
interrupted() {
  name=$1; seed=$2; want=$3; what=$4; shift 4
  enrol "$tmp/$name"
  "$its" demo --dir "$tmp/$name" --count 800 --seed "$seed" 2>/dev/null
  "$its" sync --dir "$tmp/$name" >/dev/null 2>&1 &
  sync_pid=$!
  sleep 0.3
  "$@" >/dev/null
  wait "$sync_pid" || true
  sync_until_done "$tmp/$name" 5 >/dev/null
  expect_rows "$want" "$what"
  outbox_empty "$tmp/$name"
}
kill_and_restart_server() { server_kill; server_start; }

# --- the server killed mid-batch, then started again; PostgreSQL restarted mid-upload --------
interrupted kill 12 1300 "server killed" kill_and_restart_server
interrupted pgr 13 2100 "PostgreSQL restarted" sh "$here/pg.sh" restart "$tmp/pg"

# --- two devices at once ----------------------------------------------------------------------
enrol "$tmp/d1"; enrol "$tmp/d2"
"$its" demo --dir "$tmp/d1" --count 600 --seed 14 2>/dev/null
"$its" demo --dir "$tmp/d2" --count 600 --seed 15 2>/dev/null
"$its" sync --dir "$tmp/d1" >"$tmp/d1.out" 2>&1 & p1=$!
"$its" sync --dir "$tmp/d2" >"$tmp/d2.out" 2>&1 & p2=$!
wait "$p1" || fail "device 1: $(tail -2 "$tmp/d1.out")"
wait "$p2" || fail "device 2: $(tail -2 "$tmp/d2.out")"
expect_rows 3300 "two devices at once"
# --- a worker's pull cut at random points: it resumes with no gap and nothing twice ------------
kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
proxy_start 43 8 2500000
n=0
until "$its" pull --dir "$tmp/worker" --passphrase-file "$tmp/pass" --server "https://127.0.0.1:$pport" \
    --ca "$tmp/tls/ca.pem" >"$tmp/pull.out" 2>&1; do
  n=$((n + 1)); [ "$n" -lt 30 ] || fail "pull did not finish through the cuts: $(cat "$tmp/pull.out")"
done
[ "$(sqlite3 "$tmp/worker/store.db" 'select count(*) from records')" = 3300 ] ||
  fail "the worker holds $(sqlite3 "$tmp/worker/store.db" 'select count(*) from records') records, not 3300"
echo "cut pull: 3300 records through 8 cuts in $n failed pulls"
echo "fleet faults: ok"
