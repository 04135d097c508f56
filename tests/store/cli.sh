#!/bin/sh
# The storage commands end to end: init (demo, worker, kiosk), demo, export, audit verify,
# passwd, retention, and the refusals (existing folder, wrong passphrase, altered record and
# audit entry — the last two only where the sqlite3 shell is installed). usage: cli.sh ITSEARVIO
set -eu
bin=$1
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAILED: $*" >&2; cat "$t/err" >&2 2>/dev/null || true; exit 1; }
d=$t/demo

"$bin" init --demo --dir "$d" 2>"$t/err" || fail "init --demo"
grep -q "DEMO ONLY" "$t/err" || fail "init --demo says demo only"
head -n 1 "$d/demo-passphrase.txt" | grep -qx "demo-passphrase" || fail "demo passphrase file"
"$bin" init --demo --dir "$d" 2>"$t/err" && fail "init replaced an existing folder"
grep -q "already exists, so nothing was changed" "$t/err" || fail "init refusal message"

"$bin" demo --dir "$d" --count 12 --seed 7 2>"$t/err" || fail "demo"
"$bin" export --dir "$d" --passphrase-file "$d/demo-passphrase.txt" --format csv >"$t/a.csv" 2>"$t/err" || fail "export"
[ "$(wc -l <"$t/a.csv")" -eq 13 ] || fail "export has a header and 12 rows"
"$bin" export --dir "$d" --recovery-key "$d/recovery-key.json" --format csv >"$t/b.csv" 2>"$t/err" || fail "export with the recovery key"
cmp -s "$t/a.csv" "$t/b.csv" || fail "worker and recovery exports differ"
"$bin" audit verify --dir "$d" >"$t/out" 2>"$t/err" || fail "audit verify"
grep -q "chain intact" "$t/out" || fail "audit verify says intact"

echo "not the passphrase" >"$t/wrong"
"$bin" export --dir "$d" --passphrase-file "$t/wrong" --format csv >"$t/out" 2>"$t/err" && fail "wrong passphrase accepted"
grep -q "Wrong passphrase." "$t/err" || fail "wrong passphrase message"
[ ! -s "$t/out" ] || fail "output despite a wrong passphrase"

printf 'a new demo pass\n' >"$t/new"
"$bin" passwd --dir "$d" --passphrase-file "$d/demo-passphrase.txt" --new-passphrase-file "$t/new" 2>"$t/err" || fail "passwd"
"$bin" export --dir "$d" --passphrase-file "$t/new" --format csv >"$t/c.csv" 2>"$t/err" || fail "export after passwd"
cmp -s "$t/a.csv" "$t/c.csv" || fail "records changed by passwd"
"$bin" retention --dir "$d" --passphrase-file "$t/new" --older-than 400 >"$t/out" 2>"$t/err" || fail "retention"
grep -q "Deleted 0 records older than 400 days." "$t/out" || fail "retention message"

printf 'worker pass 123\n' >"$t/pass"
# A folder whose parents do not exist yet is made with them, each 0700, as `mkdir -p` would.
"$bin" init --mode kiosk --dir "$t/fresh/parents/k" --keys-from "$d" 2>"$t/err" || fail "init with missing parents"
[ "$(stat -c %a "$t/fresh")" = 700 ] && [ "$(stat -c %a "$t/fresh/parents")" = 700 ] || fail "parents made 0700"
"$bin" init --dir "$t/w" --passphrase-file "$t/pass" --recovery-out "$t/rec.json" 2>"$t/err" || fail "init worker"
"$bin" init --mode kiosk --dir "$t/k" --keys-from "$t/w" 2>"$t/err" || fail "init kiosk"
[ ! -e "$t/k/worker.key" ] && [ ! -e "$t/k/recovery-key.json" ] || fail "a kiosk holds a secret key"
"$bin" demo --dir "$t/k" --count 3 2>"$t/err" || fail "demo on the kiosk"
"$bin" export --dir "$t/k" --passphrase-file "$t/pass" --format csv 2>"$t/err" && fail "the kiosk unlocked"
grep -q "holds only public keys" "$t/err" || fail "kiosk unlock message"

if command -v sqlite3 >/dev/null 2>&1; then
  id=$(sqlite3 "$d/store.db" "SELECT id FROM records ORDER BY created_at LIMIT 1")
  sqlite3 "$d/store.db" "DROP TRIGGER records_append_only; UPDATE records SET envelope = substr(envelope, 1, length(envelope) - 4) || x'00000000' WHERE id = '$id'"
  "$bin" export --dir "$d" --passphrase-file "$t/new" --format csv >"$t/out" 2>"$t/err" && fail "export of an altered record exits 0"
  grep -q "Record $id cannot be opened" "$t/err" || fail "export names the altered record"
  [ "$(wc -l <"$t/out")" -eq 12 ] || fail "export still writes the other records"
  sqlite3 "$d/store.db" "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'nothing' WHERE seq = 3"
  "$bin" audit verify --dir "$d" >"$t/out" 2>"$t/err" && fail "audit verify missed an edit"
  grep -q "entry 3 (.*) was edited" "$t/err" || fail "audit verify names entry 3"
  # Forged records: one signed by another key under this folder's own device id (a twin folder
  # made from the same public keys), one from a device this folder never pinned; each copied
  # straight into store.db. list, show and export name them; the genuine ones still open.
  dev=$(sed -n 's/.*"device_id": "\(.*\)".*/\1/p' "$d/config.json")
  "$bin" init --mode kiosk --dir "$t/twin" --device "$dev" --keys-from "$d" 2>"$t/err" || fail "init twin"
  "$bin" init --mode kiosk --dir "$t/ghost" --device kiosk-ghost --keys-from "$d" 2>"$t/err" || fail "init ghost"
  "$bin" demo --dir "$t/twin" --count 1 2>"$t/err" && "$bin" demo --dir "$t/ghost" --count 1 2>"$t/err" || fail "demo"
  twin=$(sqlite3 "$t/twin/store.db" "SELECT id FROM records")
  ghost=$(sqlite3 "$t/ghost/store.db" "SELECT id FROM records")
  sqlite3 "$d/store.db" "ATTACH '$t/twin/store.db' AS a; ATTACH '$t/ghost/store.db' AS b;
    INSERT INTO records SELECT * FROM a.records; INSERT INTO records SELECT * FROM b.records"
  "$bin" list --dir "$d" --passphrase-file "$t/new" >"$t/out" 2>"$t/err" || true
  grep -q "Record $twin cannot be opened: its signature does not match the device's signing key: it was altered or forged." "$t/err" || fail "list names the record signed by another key"
  grep -q "Record $ghost cannot be opened: no signing key is pinned for its device kiosk-ghost, so it cannot be told apart from a forgery." "$t/err" || fail "list names the record of an unpinned device"
  grep -q "UNREADABLE *$twin" "$t/out" && grep -q "UNREADABLE *$ghost" "$t/out" || fail "list marks the forged rows"
  "$bin" show --dir "$d" --passphrase-file "$t/new" "$twin" >"$t/out" 2>"$t/err" && fail "show of a forged record exits 0"
  grep -q "signature does not match" "$t/err" || fail "show names the forged record"
  "$bin" export --dir "$d" --passphrase-file "$t/new" --format csv >"$t/out" 2>"$t/err" && fail "export of forged records exits 0"
  grep -q "Record $ghost cannot be opened" "$t/err" || fail "export names the forged record"
else
  echo "sqlite3 shell not installed: tampering checks skipped (the C tests cover them)"
fi
echo "store cli: all checks passed"
