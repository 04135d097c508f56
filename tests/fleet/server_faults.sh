#!/usr/bin/env bash
# Faults, each with nothing lost and nothing duplicated: the same batch 1,000 times, two devices
# uploading at once, the server killed (SIGKILL) mid-batch and restarted, PostgreSQL restarted
# between batches, SIGTERM during a batch (it finishes, is answered, the server exits 0).
# "Mid-batch" is made certain, not timed: a psql session holds a lock on the records table, so
# the batch's INSERT waits inside its transaction until the lock is let go.
# usage: server_faults.sh ITSEARVIO FLEET_TOOL TESTS_FLEET_DIR
BIN=$1 TOOL=$2 HERE=$3
. "$HERE/server_lib.sh"
SECONDS=0
lap() { echo "$1 at ${SECONDS}s"; }
setup_db
start_server
make_team t1 "$tmp/w"
rows_of() { q "SELECT count(*) FROM records WHERE device = '$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["device_id"])' "$1/config.json")'"; }

# ---- the same batch 1,000 times over one connection: exactly one row per record
make_device "$tmp/k1" "$tmp/w" t1 400
"$TOOL" batches "$tmp/k1" "$tmp/one" 10 - - >/dev/null
for i in $(seq 1000); do # `next` resets every option: each request names them all
  [ "$i" -gt 1 ] && echo next
  printf 'url = "%s/v1/upload"\ncacert = "%s"\ndata-binary = "@%s"\noutput = "/dev/null"\n' \
    "$URL" "$tmp/tls/ca.pem" "$tmp/one.1.json"
  printf 'write-out = "%%{http_code}\\n"\n'
done > "$tmp/curl.cfg"
start=$(date +%s)
curl -sS -K "$tmp/curl.cfg" > "$tmp/codes.txt" 2>"$tmp/curl.err" || true
echo "1,000 uploads of one batch in $(( $(date +%s) - start )) s"
check "1,000 answers of 200: $(sort "$tmp/codes.txt" | uniq -c | tr '\n' ' ')" \
  [ "$(grep -c '^200$' "$tmp/codes.txt")" = 1000 ]
check "exactly one row per record" [ "$(rows_of "$tmp/k1")" = 10 ]
check "no duplicate ids" [ "$(q "SELECT count(*) - count(DISTINCT record_id) FROM records")" = 0 ]

lap "two"
# ---- two devices at once, each all its batches
make_device "$tmp/k2" "$tmp/w" t1 400
"$TOOL" batches "$tmp/k1" "$tmp/b1" 50 - - >/dev/null
"$TOOL" batches "$tmp/k2" "$tmp/b2" 50 - - >/dev/null
upload_all() { # PREFIX: every batch file in turn, retried until answered 200
  for f in "$1".*.json; do
    for _ in 1 2 3; do [ "$(post upload "$f" /dev/null)" = 200 ] && break; done
  done
}
upload_all "$tmp/b1" & p1=$!
upload_all "$tmp/b2" & p2=$!
wait $p1 $p2
check "device 1: all 400" [ "$(rows_of "$tmp/k1")" = 400 ]
check "device 2: all 400" [ "$(rows_of "$tmp/k2")" = 400 ]

# Holds an exclusive lock on records for $1 seconds (in the background).
hold_lock() {
  psql "$DSN" -Atq -c "BEGIN; LOCK TABLE records IN EXCLUSIVE MODE; SELECT pg_sleep($1); COMMIT;" >/dev/null &
  lock_pid=$!
  for _ in $(seq 100); do
    [ "$(q "SELECT count(*) FROM pg_locks WHERE relation = 'records'::regclass AND mode = 'ExclusiveLock' AND granted")" = 1 ] && return
    sleep 0.05
  done
}

lap "SIGKILL"
# ---- SIGKILL while a batch waits inside its transaction: nothing of it stays; resent, all stored
make_device "$tmp/k3" "$tmp/w" t1 200
"$TOOL" batches "$tmp/k3" "$tmp/b3" 200 - - >/dev/null
hold_lock 3
post upload "$tmp/b3.1.json" "$tmp/a3.json" > "$tmp/code3" & up=$!
check "the batch waits inside its transaction" wait_for_lock_wait
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
wait $lock_pid; wait $up || true
check "the client saw no answer" [ "$(cat "$tmp/code3")" != 200 ]
sleep 0.5
check "nothing of the killed batch is stored" [ "$(rows_of "$tmp/k3")" = 0 ]
start_server
check "resent after the restart" [ "$(post upload "$tmp/b3.1.json" "$tmp/a3.json")" = 200 ]
check "all 200 stored once" [ "$(counts "$tmp/a3.json")" = "200 0 0 0 -" ]
check "200 rows" [ "$(rows_of "$tmp/k3")" = 200 ]

lap "PostgreSQL"
# ---- PostgreSQL restarted between batches: the next request works on a new connection
make_device "$tmp/k4" "$tmp/w" t1 400
"$TOOL" batches "$tmp/k4" "$tmp/b4" 200 - - >/dev/null
check "batch before the restart" [ "$(post upload "$tmp/b4.1.json" /dev/null)" = 200 ]
sh "$HERE/pg.sh" restart "$tmp/pg" >/dev/null
check "batch after the restart" [ "$(post upload "$tmp/b4.2.json" "$tmp/a4.json")" = 200 ]
check "stored" [ "$(counts "$tmp/a4.json")" = "200 0 0 0 -" ]
sh "$HERE/pg.sh" kill "$tmp/pg"
sh "$HERE/pg.sh" start "$tmp/pg" >/dev/null
check "after a crash of PostgreSQL too" [ "$(post upload "$tmp/b4.2.json" "$tmp/a4.json")" = 200 ]
check "already stored" [ "$(counts "$tmp/a4.json")" = "0 200 0 0 -" ]
check "400 rows" [ "$(rows_of "$tmp/k4")" = 400 ]

lap "SIGTERM"
# ---- SIGTERM during a batch: the batch commits and is answered, then the server exits 0
make_device "$tmp/k5" "$tmp/w" t1 200
"$TOOL" batches "$tmp/k5" "$tmp/b5" 200 - - >/dev/null
hold_lock 2
post upload "$tmp/b5.1.json" "$tmp/a5.json" > "$tmp/code5" & up=$!
check "the batch waits inside its transaction" wait_for_lock_wait
kill -TERM "$server_pid"
st=0; wait "$server_pid" || st=$?; server_pid=
wait $up || true
check "the server exits 0 after SIGTERM: $st" [ "$st" = 0 ]
check "the batch in flight was answered 200" [ "$(cat "$tmp/code5")" = 200 ]
check "and stored whole" [ "$(counts "$tmp/a5.json")" = "200 0 0 0 -" ]
check "200 rows" [ "$(rows_of "$tmp/k5")" = 200 ]
check "the log says it finished the request in flight" grep -q "finishing 1 request(s) in flight" "$tmp/server.log"

check "nothing duplicated anywhere" [ "$(q "SELECT count(*) - count(DISTINCT record_id) FROM records")" = 0 ]
check "nothing quarantined" [ "$(q "SELECT count(*) FROM quarantine")" = 0 ]
finish
