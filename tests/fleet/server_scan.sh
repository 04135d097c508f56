#!/usr/bin/env bash
# The server cannot read what it stores: after real records (demo assessments with client codes
# and answers, sealed by the kiosk path) are uploaded, pulled, duplicated and quarantined, a scan
# of pg_dump, the PostgreSQL data folder (tables and WAL) and the server log finds none of the
# records' client codes or answer words. A canary written in the clear into a table shows that
# the scan does reach the data on disk.
# usage: server_scan.sh ITSEARVIO FLEET_TOOL TESTS_FLEET_DIR
BIN=$1 TOOL=$2 HERE=$3
. "$HERE/server_lib.sh"
setup_db
start_server
make_team t1 "$tmp/d"            # a demo folder: device and worker key in one, to read back
"$BIN" demo --dir "$tmp/d" --count 120 >/dev/null
enroll "$tmp/d" t1 >/dev/null
n=$("$TOOL" batches "$tmp/d" "$tmp/b" 50 7 -)
for i in $(seq "$n"); do post upload "$tmp/b.$i.json" /dev/null >/dev/null; done
post upload "$tmp/b.1.json" /dev/null >/dev/null                     # duplicates
"$TOOL" batches "$tmp/d" "$tmp/c" 50 8 conflict >/dev/null
post upload "$tmp/c.1.json" /dev/null >/dev/null                     # one in quarantine
"$TOOL" pullreq "$tmp/d" "$tmp/d/demo-passphrase.txt" t1 0 1000 > "$tmp/p.json"
post pull "$tmp/p.json" /dev/null >/dev/null
check "120 records on the server" [ "$(q 'SELECT count(*) FROM records')" = 120 ]
check "one in quarantine" [ "$(q 'SELECT count(*) FROM quarantine')" = 1 ]

# What the records hold, read back with the worker key: client codes and answer words.
"$BIN" export --dir "$tmp/d" --passphrase-file "$tmp/d/demo-passphrase.txt" --format csv \
  > "$tmp/export.csv" 2>/dev/null
python3 - "$tmp/export.csv" > "$tmp/words.txt" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
codes = sorted({r["client"] for r in rows})
print("\n".join(codes))
# answer words and names that only a record's plaintext holds
print("\n".join(["vaikeuksia", "WHODAS", "simple_percent", "questionnaire_version", "\"answers\""]))
PY
check "the export holds the 120 records" [ "$(($(wc -l < "$tmp/export.csv") - 1))" -ge 120 ]
check "client codes to look for: $(head -3 "$tmp/words.txt" | tr '\n' ' ')..." [ "$(wc -l < "$tmp/words.txt")" -gt 10 ]
check "the words are in the plaintext export" grep -q -F -f "$tmp/words.txt" "$tmp/export.csv"

q "INSERT INTO server_log (event, detail) VALUES ('canary', 'CANARY-in-the-clear-4711')"
q "CHECKPOINT"
pg_dump "$DSN" > "$tmp/dump.sql"
check "the canary is found on disk (the scan works)" grep -r -a -q -F "CANARY-in-the-clear-4711" "$tmp/pg/data"
check "and in the dump" grep -q -F "CANARY-in-the-clear-4711" "$tmp/dump.sql"
stop_server
hits() { grep -r -a -o -F -f "$tmp/words.txt" "$@" 2>/dev/null | wc -l; }
check "pg_dump: 0 hits" [ "$(hits "$tmp/dump.sql")" = 0 ]
check "data folder (tables, WAL): 0 hits" [ "$(hits "$tmp/pg/data")" = 0 ]
check "server log: 0 hits" [ "$(hits "$tmp/server.log")" = 0 ]
finish
