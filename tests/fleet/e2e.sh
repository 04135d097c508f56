#!/bin/sh
# The fleet end to end, with exactly the commands of issue 11: server migrate, team-add, run,
# enroll; init --server; demo; sync; pull; list and show on the pulled records. Real PostgreSQL
# (pg.sh), real HTTPS (tls.sh), loopback only. Then the plain refusals: a reused token, a wrong
# CA, a server that is not there, a revoked device (nothing deleted on it). Last, programme
# summaries (issue 13): sent with their records, kept sealed by the server, pulled, reported.
# usage: e2e.sh ITSEARVIO_BINARY TESTS_FLEET_DIR
set -eu
its=$1; here=$2
tmp=$(mktemp -d)
trap fleet_cleanup EXIT
. "$here/lib.sh"
fleet_setup

# --- enrol, fill, upload, pull ------------------------------------------------------------
tok=$(token clinic-a)
"$its" init --mode kiosk --dir "$tmp/k1" --server "$url" --ca "$tmp/tls/ca.pem" --token "$tok" 2>"$tmp/e.log" ||
  { cat "$tmp/e.log"; fail "enrolment"; }
[ -f "$tmp/k1/server-ca.pem" ] || fail "the CA file was not kept in the folder"
"$its" demo --dir "$tmp/k1" --count 30 --seed 7 2>/dev/null || fail "demo on an enrolled folder"
"$its" sync --dir "$tmp/k1" >"$tmp/sync.out" 2>"$tmp/sync.err" || { cat "$tmp/sync.err"; fail "sync"; }
[ "$(tail -1 "$tmp/sync.out")" = "Uploaded 30, already on the server 0, still waiting 0." ] ||
  fail "sync said: $(tail -1 "$tmp/sync.out")"
[ "$(rows)" = 30 ] || fail "PostgreSQL holds $(rows) records, not 30"
"$its" sync --dir "$tmp/k1" >"$tmp/sync.out" 2>&1 || fail "an empty sync is not exit 0"
[ "$(tail -1 "$tmp/sync.out")" = "Uploaded 0, already on the server 0, still waiting 0." ] || fail "empty sync"
# the kiosk keeps what it uploaded (retention: keep)
[ "$(sqlite3 "$tmp/k1/store.db" 'select count(*) from records')" = 30 ] || fail "the kiosk lost records"

"$its" pull --dir "$tmp/worker" --passphrase-file "$tmp/pass" --server "$url" --ca "$tmp/tls/ca.pem" \
  >"$tmp/pull.out" 2>"$tmp/pull.err" || { cat "$tmp/pull.err"; fail "pull"; }
grep -q "Pulled 30 new records" "$tmp/pull.out" || fail "pull said: $(cat "$tmp/pull.out")"
"$its" list --dir "$tmp/worker" --passphrase-file "$tmp/pass" --lang en >"$tmp/list.out" 2>"$tmp/list.err" ||
  { cat "$tmp/list.err"; fail "list on pulled records"; }
head -1 "$tmp/list.out" | grep -q "^30 of 30 assessments" || fail "list says: $(head -1 "$tmp/list.out")"
grep -q "could not be opened" "$tmp/list.out" && fail "list could not open pulled records"
"$its" export --dir "$tmp/worker" --passphrase-file "$tmp/pass" --format csv --out "$tmp/x.csv" 2>/dev/null ||
  fail "export of pulled records"
[ "$(tail -n +2 "$tmp/x.csv" | wc -l)" = 30 ] || fail "export holds $(tail -n +2 "$tmp/x.csv" | wc -l) rows"
id=$(sqlite3 "$tmp/worker/store.db" 'select id from records limit 1')
"$its" show --dir "$tmp/worker" --passphrase-file "$tmp/pass" "$id" >"$tmp/show.out" 2>"$tmp/show.err" ||
  { cat "$tmp/show.err"; fail "show a pulled record"; }
code=$(python3 -c 'import csv,sys,collections; c=collections.Counter(r["client"] for r in csv.DictReader(open(sys.argv[1])) if r["client"]); print(c.most_common(1)[0][0])' "$tmp/x.csv")
"$its" trend --dir "$tmp/worker" --passphrase-file "$tmp/pass" --client "$code" >"$tmp/trend.out" 2>"$tmp/trend.err" ||
  { cat "$tmp/trend.err"; fail "trend on pulled records"; }
# a second pull brings nothing new and nothing twice
"$its" pull --dir "$tmp/worker" --passphrase-file "$tmp/pass" --server "$url" --ca "$tmp/tls/ca.pem" \
  >"$tmp/pull.out" 2>&1 || fail "second pull"
grep -q "Pulled 0 new records" "$tmp/pull.out" || fail "second pull: $(cat "$tmp/pull.out")"
[ "$(sqlite3 "$tmp/worker/store.db" 'select count(*) from records')" = 30 ] || fail "pull duplicated"

# --- what the server holds: not one client code or answer word of the uploaded records --------
pg_dump "$dsn" >"$tmp/dump.sql"
python3 -c 'import csv,sys; print("\n".join(sorted({r["client"] for r in csv.DictReader(open(sys.argv[1])) if r["client"]})))' \
  "$tmp/x.csv" >"$tmp/codes"
[ "$(wc -l <"$tmp/codes")" -gt 3 ] || fail "the export named too few client codes to scan for"
for f in "$tmp/dump.sql" "$tmp/server.log"; do
  grep -F -f "$tmp/codes" "$f" >/dev/null && fail "a client code is readable in $f"
  grep -E "Vähän vaikeuksia|Ei vaikeuksia|whodas" "$f" >/dev/null && fail "answer words are readable in $f"
done
grep -rlF -f "$tmp/codes" "$tmp/pg/data" >/dev/null 2>&1 && fail "a client code is readable in the data folder"

# --- a worker whose key is not in the team; a sync of a folder that is not enrolled --------------
"$its" init --mode worker --dir "$tmp/stranger" --passphrase-file "$tmp/pass" --recovery-out "$tmp/r2.json" 2>/dev/null
"$its" pull --dir "$tmp/stranger" --passphrase-file "$tmp/pass" --server "$url" --ca "$tmp/tls/ca.pem" \
  --team north >"$tmp/pull.out" 2>&1 && fail "a stranger's key pulled the team's records"
grep -q "refused" "$tmp/pull.out" || fail "stranger message: $(cat "$tmp/pull.out")"
[ "$(sqlite3 "$tmp/stranger/store.db" 'select count(*) from records')" = 0 ] || fail "a stranger got records"
"$its" sync --dir "$tmp/worker" >"$tmp/sync.out" 2>&1 && fail "sync of a folder that is not enrolled"
grep -q "not enrolled" "$tmp/sync.out" || fail "not-enrolled message: $(cat "$tmp/sync.out")"

# --- the kiosk sends a saved result at once, in the background (no sync run by anyone) --------
enrol "$tmp/k5"
{ printf 'expect "Tervetuloa"\ntap "Aloita"\ntap "Seuraava"\ntap "Kyllä, annan luvan"\ntap "Ei, jatkan ilman koodia"\n'
  printf 'tap "Aloita kysely"\n'
  # digits pick answers in words by their place: "Ei vaikeuksia" is the first button
  for i in 1 2 3 4 5 6 7 8 9 10 11; do printf 'key 1\nkey Return\n'; done
  printf 'tap "En tee työtä enkä opiskele"\ntap "Seuraava"\n'
  for i in 1 2 3; do printf 'key 0\nkey Return\n'; done
  printf 'expect "Tarkista vastauksesi"\nseek "Lähetä vastaukset"\ntap "Lähetä vastaukset"\n'
  printf 'expect "Kiitos vastauksistasi!"\nquit\n'
} >"$tmp/kiosk.script"
SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$its" kiosk --dir "$tmp/k5" --windowed --size 1280x800 \
  --questionnaire "$here/../../questionnaires/whodas12-style.json" --script "$tmp/kiosk.script" \
  >"$tmp/kiosk.log" 2>&1 || { cat "$tmp/kiosk.log"; fail "the scripted kiosk session"; }
n=0
until [ "$(rows)" = 31 ] && [ "$(sqlite3 "$tmp/k5/store.db" 'select count(*) from outbox')" = 0 ]; do
  n=$((n + 1)); [ "$n" -lt 150 ] || fail "the kiosk's result did not reach the server by itself"
  sleep 0.1
done

# --- refusals ------------------------------------------------------------------------------
"$its" init --mode kiosk --dir "$tmp/k2" --server "$url" --ca "$tmp/tls/ca.pem" --token "$tok" 2>"$tmp/e.log" &&
  fail "a used token was accepted"
[ ! -e "$tmp/k2/config.json" ] || fail "a refused enrolment wrote a config"
grep -qi "used" "$tmp/e.log" || fail "reused token message: $(cat "$tmp/e.log")"
"$its" init --mode kiosk --dir "$tmp/k3" --server "$url" --ca "$tmp/tls/other-ca.pem" --token "$(token)" \
  2>"$tmp/e.log" && fail "a wrong CA was accepted"
grep -q "other-ca.pem" "$tmp/e.log" || fail "wrong CA message: $(cat "$tmp/e.log")"
[ ! -e "$tmp/k3/config.json" ] || fail "a wrong CA wrote a config"
"$its" init --mode kiosk --dir "$tmp/k6" --server "$url" --ca "$tmp/tls/ca.pem" --token "not-a-token" \
  2>"$tmp/e.log" && fail "a malformed token was accepted"
[ -s "$tmp/e.log" ] && [ ! -e "$tmp/k6/config.json" ] || fail "malformed token: $(cat "$tmp/e.log")"
"$its" init --mode kiosk --dir "$tmp/k4" --server "https://127.0.0.1:$(free_port)" --ca "$tmp/tls/ca.pem" \
  --token "$(token)" 2>"$tmp/e.log" && fail "enrolment with no server succeeded"
grep -q "does not answer" "$tmp/e.log" || fail "no-server message: $(cat "$tmp/e.log")"

# --- revocation: refused with the server's sentence, nothing deleted on the device -------------
"$its" demo --dir "$tmp/k1" --count 5 --seed 8 2>/dev/null
dev=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["device_id"])' "$tmp/k1/config.json")
"$its" server revoke --dsn "$dsn" --device "$dev" >/dev/null || fail "server revoke"
"$its" sync --dir "$tmp/k1" >"$tmp/sync.out" 2>"$tmp/sync.err" && fail "a revoked device uploaded"
grep -q "revoked" "$tmp/sync.err" || fail "revoked message: $(cat "$tmp/sync.err")"
[ "$(tail -1 "$tmp/sync.out")" = "Uploaded 0, already on the server 0, still waiting 5." ] ||
  fail "revoked sync said: $(tail -1 "$tmp/sync.out")"
[ "$(sqlite3 "$tmp/k1/store.db" 'select count(*) from records')" = 35 ] || fail "revocation deleted records"
[ "$(rows)" = 31 ] || fail "a revoked device's records reached PostgreSQL"
# --- programme summaries travel with their records; the server keeps them sealed (issue 13) ----
"$its" programme init --dir "$tmp/worker" --key-out "$tmp/programme.key" --passphrase-file "$tmp/pass" \
  2>/dev/null || fail "programme init"
enrol "$tmp/kp"
"$its" programme join --dir "$tmp/kp" --from "$tmp/worker" 2>/dev/null || fail "programme join"
"$its" demo --dir "$tmp/kp" --count 8 --seed 9 2>/dev/null || fail "demo with summaries"
"$its" sync --dir "$tmp/kp" >"$tmp/sync.out" 2>"$tmp/sync.err" || { cat "$tmp/sync.err"; fail "sync summaries"; }
[ "$(tail -1 "$tmp/sync.out")" = "Uploaded 16, already on the server 0, still waiting 0." ] ||
  fail "sync with summaries said: $(tail -1 "$tmp/sync.out")"
[ "$(psql "$dsn" -Atqc "SELECT count(*) FROM records WHERE kind = 'ITSP'")" = 8 ] ||
  fail "the server does not hold the 8 summaries"
"$its" pull --dir "$tmp/worker" --passphrase-file "$tmp/pass" --server "$url" --ca "$tmp/tls/ca.pem" \
  >"$tmp/pull.out" 2>"$tmp/pull.err" || { cat "$tmp/pull.err"; fail "pull summaries"; }
[ "$(sqlite3 "$tmp/worker/store.db" 'select count(*) from programme')" = 8 ] || fail "summaries not pulled"
"$its" list --dir "$tmp/worker" --passphrase-file "$tmp/pass" --lang en 2>/dev/null | head -1 | grep -q "^39 of 39" ||
  fail "the list counts summaries as assessments"
"$its" report --dir "$tmp/worker" --key "$tmp/programme.key" --passphrase-file "$tmp/pass" --format csv \
  >"$tmp/report.csv" 2>"$tmp/report.err" || { cat "$tmp/report.err"; fail "report on pulled summaries"; }
grep -q "Report of 8 programme summaries" "$tmp/report.err" || fail "report said: $(cat "$tmp/report.err")"

echo "fleet e2e: ok"
