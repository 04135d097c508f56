#!/bin/sh
# The fleet benchmark (issue 11), one command; figures beside a floor measured in the same run:
#   1. upload throughput, 4 devices at once   | floor: INSERT…SELECT of the same rows in psql
#   2. a 10,000-record outbox drained through 100 forced disconnects (cutproxy)
#                                              | floor: the same drain with no disconnect
#   3. a worker's pull of 100,000 records      | floor: psql \copy of the same envelopes to a file
# usage: tests/fleet/bench.sh [BUILD_DIR] [--small]   (--small: 1/20 of the sizes, for ctest)
# Prints a Markdown table; not in CI (the full run takes a few minutes on 2 cores).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
its=$build/itsearvio; proxy=$build/tests/fleet/cutproxy
scale=1; [ "${2:-}" = --small ] && scale=20
per_dev=$((2500 / scale)); outbox=$((10000 / scale)); cuts=$((100 / scale)); pulln=$((100000 / scale))
tmp=$(mktemp -d)
trap fleet_cleanup EXIT
. "$here/lib.sh"
fleet_setup

wait_all() { for p in $pids; do wait "$p" || fail "a background step failed"; done; pids=; }
now() { python3 -c 'import time; print(time.time())'; }
secs() { python3 -c "import sys; print('%.2f' % ($2 - $1))"; }
rate() { python3 -c "print('%.0f' % ($1 / ($2 - $3)))"; }
psql_ms() { # psql_ms SQL: the server-side time of one statement, in seconds
  psql "$dsn" -Atc '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1 |
    python3 -c 'import sys; print("%.3f" % (float(sys.stdin.read()) / 1000))'
}

# 1. four devices at once (filling the outboxes is not timed)
for d in 1 2 3 4; do enrol "$tmp/dev$d"; done
pids=
for d in 1 2 3 4; do "$its" demo --dir "$tmp/dev$d" --count "$per_dev" --seed "$d" 2>/dev/null & pids="$pids $!"; done
wait_all
t0=$(now)
for d in 1 2 3 4; do "$its" sync --dir "$tmp/dev$d" >"$tmp/s$d.out" 2>&1 & pids="$pids $!"; done
wait_all
t1=$(now)
total=$((4 * per_dev))
[ "$(rows)" = "$total" ] || fail "the server holds $(rows) records, not $total"
up_rate=$(rate "$total" "$t1" "$t0")
psql "$dsn" -qc 'CREATE TABLE bench_floor (LIKE records INCLUDING ALL)' >/dev/null
floor1=$(psql_ms "INSERT INTO bench_floor SELECT * FROM records")
floor1_rate=$(python3 -c "print('%.0f' % ($total / $floor1))")

# 2. an outbox drained through forced disconnects, and the same without
pport=$(free_port)
"$proxy" "$pport" "$port" 7 0 1 >/dev/null & proxy_pid=$!
wait_port "$pport"
enrol "$tmp/cut" "https://127.0.0.1:$pport"
enrol "$tmp/nocut" "https://127.0.0.1:$pport"
"$its" demo --dir "$tmp/cut" --count "$outbox" --seed 21 2>/dev/null & pids="$pids $!"
"$its" demo --dir "$tmp/nocut" --count "$outbox" --seed 22 2>/dev/null & pids="$pids $!"
wait_all
t0=$(now); sync_until_done "$tmp/nocut" 3 >/dev/null; t1=$(now)
nocut_s=$(secs "$t0" "$t1")
kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
"$proxy" "$pport" "$port" 7 "$cuts" 300000 >/dev/null & proxy_pid=$!
wait_port "$pport"
t0=$(now); failed=$(sync_until_done "$tmp/cut" 200); t1=$(now)
cut_s=$(secs "$t0" "$t1")
[ "$(rows)" = "$((total + 2 * outbox))" ] || fail "records lost or doubled through the disconnects"

# 3. a worker's pull: the stored envelopes copied under new ids in SQL up to pulln (the pull
# carries and stores sealed bytes; it opens none, so copies that would not open measure it fairly)
have=$(rows)
psql "$dsn" -qc "
  INSERT INTO records (record_id, team, device, kind, seq, created_at, key_ids, size, envelope, hash)
  SELECT u, team, device, kind, seq + 1000000 * g, created_at, key_ids, size,
         overlay(envelope PLACING uuid_send(u) FROM 6 FOR 16), hash
  FROM (SELECT r.*, g, gen_random_uuid() AS u FROM records r,
        generate_series(1, ceil(($pulln - $have)::numeric / $have)::int) g) x
  LIMIT greatest($pulln - $have, 0)" >/dev/null
n=$(rows)
t0=$(now)
"$its" pull --dir "$tmp/worker" --passphrase-file "$tmp/pass" --server "$url" --ca "$tmp/tls/ca.pem" \
  --team north >"$tmp/pull.out" 2>&1 || { cat "$tmp/pull.out"; fail "pull"; }
t1=$(now)
pulled=$(sqlite3 "$tmp/worker/store.db" 'select count(*) from records')
[ "$pulled" = "$n" ] || fail "the worker holds $pulled records, not $n"
pull_rate=$(rate "$n" "$t1" "$t0")
t0=$(now)
psql "$dsn" -qc "\\copy (SELECT cursor, device, envelope FROM records ORDER BY cursor) TO '$tmp/floor.copy'"
t1=$(now)
floor3=$(secs "$t0" "$t1")

cat <<EOT
| what | Itsearvio | floor (same run) |
|---|---|---|
| upload, 4 devices at once, $total records | $up_rate records/s | INSERT…SELECT of the same rows in psql: $floor1_rate records/s |
| $outbox-record outbox through $cuts forced disconnects | $cut_s s ($failed syncs cut short) | the same drain with no disconnect: $nocut_s s |
| worker pull of $n records | $(secs 0 "$(python3 -c "print($n / $pull_rate)")") s, $pull_rate records/s | psql \\copy of the same envelopes: $floor3 s |
EOT
