#!/bin/sh
# The storage commands end to end: init (demo, worker, kiosk), demo, export, audit verify,
# passwd, retention, and the refusals (existing folder, wrong passphrase, altered record and
# audit entry — the last two only where the sqlite3 shell is installed); the recovery key shown
# once, Argon2id limits, two passwd at once, list beside retention, a worker key others can
# read, a removed table. usage: cli.sh ITSEARVIO
set -eu
bin=$1
export LC_ALL=C.UTF-8 # no language in the locale: the worker commands speak Finnish
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAILED: $*" >&2; cat "$t/err" >&2 2>/dev/null || true; exit 1; }
d=$t/demo

"$bin" init --demo --dir "$d" 2>"$t/err" || fail "init --demo"
grep -q "VAIN ESITTELYYN" "$t/err" || fail "init --demo says demo only (in Finnish)"
head -n 1 "$d/demo-passphrase.txt" | grep -qx "demo-passphrase" || fail "demo passphrase file"
"$bin" init --demo --dir "$d" 2>"$t/err" && fail "init replaced an existing folder"
grep -q "already exists, so nothing was changed" "$t/err" || fail "init refusal message"
"$bin" init --demo --mode tablet --dir "$t/tab" 2>"$t/err" || fail "init --demo --mode tablet"
grep -q '"mode": "tablet"' "$t/tab/config.json" || fail "init --demo --mode tablet makes a tablet folder"
grep -q '"mode": "kiosk"' "$d/config.json" || fail "init --demo makes a kiosk folder"
"$bin" init --demo --mode worker --dir "$t/dw" 2>"$t/err" && fail "init --demo --mode worker accepted"
grep -q "give --mode kiosk or --mode tablet" "$t/err" || fail "init --demo --mode worker message"

"$bin" demo --dir "$d" --count 12 --seed 7 2>"$t/err" || fail "demo"
"$bin" export --dir "$d" --passphrase-file "$d/demo-passphrase.txt" --format csv >"$t/a.csv" 2>"$t/err" || fail "export"
[ "$(wc -l <"$t/a.csv")" -eq 13 ] || fail "export has a header and 12 rows"
"$bin" export --dir "$d" --recovery-key "$d/recovery-key.json" --format csv >"$t/b.csv" 2>"$t/err" || fail "export with the recovery key"
cmp -s "$t/a.csv" "$t/b.csv" || fail "worker and recovery exports differ"
"$bin" audit verify --dir "$d" >"$t/out" 2>"$t/err" || fail "audit verify"
grep -q "chain intact" "$t/out" || fail "audit verify says intact"

echo "not the passphrase" >"$t/wrong"
"$bin" export --dir "$d" --passphrase-file "$t/wrong" --format csv --lang en >"$t/out" 2>"$t/err" && fail "wrong passphrase accepted"
grep -q "Wrong passphrase." "$t/err" || fail "wrong passphrase message"
[ ! -s "$t/out" ] || fail "output despite a wrong passphrase"

printf 'a new demo pass\n' >"$t/new"
grep -q '"opslimit": 2,' "$d/worker.key" || fail "a demo key uses the interactive limits"
# passwd raises weaker limits to the default (moderate); on a copy, so the rest stays quick
cp -r "$d" "$t/upgrade"
"$bin" passwd --dir "$t/upgrade" --passphrase-file "$d/demo-passphrase.txt" --new-passphrase-file "$t/new" 2>"$t/err" || fail "passwd (upgrade)"
grep -q '"opslimit": 3,' "$t/upgrade/worker.key" || fail "passwd raises the limits to moderate"
"$bin" passwd --dir "$d" --kdf interactive --passphrase-file "$d/demo-passphrase.txt" --new-passphrase-file "$t/new" 2>"$t/err" || fail "passwd"
"$bin" export --dir "$d" --passphrase-file "$t/new" --format csv >"$t/c.csv" 2>"$t/err" || fail "export after passwd"
cmp -s "$t/a.csv" "$t/c.csv" || fail "records changed by passwd"
"$bin" retention --dir "$d" --passphrase-file "$t/new" --older-than 400 >"$t/out" 2>"$t/err" || fail "retention"
grep -q "Poistettiin 0 yli 400 päivää vanhaa tietuetta." "$t/out" || fail "retention message"

printf 'worker pass 123\n' >"$t/pass"
# A folder whose parents do not exist yet is made with them, each 0700, as `mkdir -p` would.
"$bin" init --mode kiosk --dir "$t/fresh/parents/k" --keys-from "$d" 2>"$t/err" || fail "init with missing parents"
[ "$(stat -c %a "$t/fresh")" = 700 ] && [ "$(stat -c %a "$t/fresh/parents")" = 700 ] || fail "parents made 0700"
"$bin" init --dir "$t/w" --passphrase-file "$t/pass" --recovery-out "$t/rec.json" 2>"$t/err" || fail "init worker"
grep -q '"opslimit": 3,' "$t/w/worker.key" || fail "a worker key uses the moderate limits by default"
"$bin" init --mode kiosk --dir "$t/k" --keys-from "$t/w" 2>"$t/err" || fail "init kiosk"
"$bin" init --dir "$t/w2" --passphrase-file "$t/pass" --kdf sensitive 2>"$t/err" && fail "init took --kdf sensitive"
grep -q -- "--kdf takes moderate or interactive" "$t/err" || fail "--kdf message"

# Without --recovery-out the recovery key is printed once, never kept in the folder, and works.
"$bin" init --dir "$t/w3" --passphrase-file "$t/pass" --kdf interactive >"$t/rec3.json" 2>"$t/err" || fail "init without --recovery-out"
grep -q "näytetään alla tämän kerran, eikä sitä tallenneta tälle koneelle" "$t/err" || fail "init says the key is shown once"
[ -z "$(ls "$t/w3" | grep -i recovery)" ] || fail "the recovery key stayed in the data folder"
"$bin" list --dir "$t/w3" --recovery-key "$t/rec3.json" >"$t/out" 2>"$t/err" || fail "the printed recovery key opens the folder"

# Two passphrase changes at once: one says changed, the other changes nothing (point 10).
printf 'first new pass\n' >"$t/p1"; printf 'second new pass\n' >"$t/p2"
"$bin" passwd --dir "$t/w3" --kdf interactive --passphrase-file "$t/pass" --new-passphrase-file "$t/p1" >"$t/o1" 2>&1 &
pid1=$!
"$bin" passwd --dir "$t/w3" --kdf interactive --passphrase-file "$t/pass" --new-passphrase-file "$t/p2" >"$t/o2" 2>&1 && rc2=0 || rc2=$?
wait $pid1 && rc1=0 || rc1=$?
[ $((rc1 + rc2)) -eq 1 ] || fail "two passwd at once: exits $rc1 and $rc2 (one must fail)"
[ "$(cat "$t/o1" "$t/o2" | grep -c "Tunnuslause vaihdettiin.")" -eq 1 ] || fail "two passwd both said changed"
if [ $rc1 -eq 0 ]; then won=$t/p1; else won=$t/p2; fi
"$bin" list --dir "$t/w3" --passphrase-file "$won" >/dev/null 2>"$t/err" || fail "the change that was reported is the one kept"

# A path holding a newline and a terminal escape is printed escaped, on one line.
"$bin" audit verify --dir "$(printf '/nonexistent/a\nb\033[2J')" 2>"$t/err" && fail "audit on a missing folder"
grep -qF '/nonexistent/a\x0ab\x1b[2J is not an Itsearvio data folder' "$t/err" || fail "path escaped in the message"
[ "$(wc -l <"$t/err")" -eq 1 ] || fail "a path's newline reached the terminal"
"$bin" list --dir "$t/w3" --passphrase-file "$(printf '/nonexistent/p\033[2J')" 2>"$t/err" && fail "missing passphrase file"
grep -qF 'cannot read the passphrase file /nonexistent/p\x1b[2J' "$t/err" || fail "passphrase file path escaped"

# A worker key others can read is refused with a sentence.
chmod 644 "$t/w3/worker.key"
"$bin" list --dir "$t/w3" --passphrase-file "$won" >/dev/null 2>"$t/err" && fail "a world-readable worker key was used"
grep -q "voivat lukea avaintiedoston $t/w3/worker.key\. IT-tuki voi korjata sen (chmod 600)" "$t/err" ||
  fail "worker key mode message"
"$bin" list --dir "$t/w3" --passphrase-file "$won" --lang en 2>&1 >/dev/null |
  grep -q "Other users of this computer can read the key file $t/w3/worker.key" || fail "worker key mode message, en"
chmod 600 "$t/w3/worker.key"

# list beside retention (two processes): a record deleted meanwhile is never "could not be opened".
"$bin" demo --dir "$t/k" --count 120 --seed 3 2>"$t/err" || fail "demo for the race"
for i in 1 2 3; do
  "$bin" list --dir "$t/k" --recovery-key "$t/rec.json" --lang en >"$t/l$i" 2>"$t/le$i" &
  lp=$!
  "$bin" retention --dir "$t/k" --recovery-key "$t/rec.json" --older-than $((300 - 100 * i)) >/dev/null 2>"$t/err" || fail "retention $i"
  wait $lp || { cat "$t/le$i" >&2; fail "list beside retention exited non-zero"; }
  ! grep -q "could not be opened" "$t/l$i" "$t/le$i" || fail "list beside retention reported deleted records as damaged"
done
[ ! -e "$t/k/worker.key" ] && [ ! -e "$t/k/recovery-key.json" ] || fail "a kiosk holds a secret key"
"$bin" demo --dir "$t/k" --count 3 2>"$t/err" || fail "demo on the kiosk"
"$bin" export --dir "$t/k" --passphrase-file "$t/pass" --format csv 2>"$t/err" && fail "the kiosk unlocked"
grep -q "Tällä laitteella ei ole työntekijän avainta" "$t/err" || fail "kiosk unlock message"

if command -v sqlite3 >/dev/null 2>&1; then
  id=$(sqlite3 "$d/store.db" "SELECT id FROM records ORDER BY created_at LIMIT 1")
  sqlite3 "$d/store.db" "DROP TRIGGER records_append_only; UPDATE records SET envelope = substr(envelope, 1, length(envelope) - 4) || x'00000000' WHERE id = '$id'"
  "$bin" export --dir "$d" --passphrase-file "$t/new" --format csv >"$t/out" 2>"$t/err" && fail "export of an altered record exits 0"
  grep -q "Record $id cannot be opened" "$t/err" || fail "export names the altered record"
  [ "$(wc -l <"$t/out")" -eq 12 ] || fail "export still writes the other records"
  "$bin" list --dir "$d" --passphrase-file "$t/new" --lang en >"$t/out" 2>"$t/err" && fail "list with a damaged record exits 0"
  grep -q "could not be opened 1" "$t/out" || fail "list counts the damaged record"
  # A removed table: a sentence, not SQLite's "no such table: meta".
  cp -r "$d" "$t/notable"
  sqlite3 "$t/notable/store.db" "DROP TABLE meta"
  "$bin" list --dir "$t/notable" --passphrase-file "$t/new" >"$t/out" 2>"$t/err" && fail "list without the meta table"
  grep -q "its tables were changed or removed; restore it from a backup" "$t/err" || fail "missing table message"
  ! grep -q "no such table" "$t/err" || fail "raw SQLite text reached the person"
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
  # Missing and rolled back: a fresh demo folder; an old copy of store.db; more records seen by
  # the worker; then a row deleted (list and audit verify name it, exit 1), then the old copy put
  # back (the worker names the rollback). Retention's deletions are not missing.
  m=$t/m
  "$bin" init --demo --dir "$m" 2>"$t/err" && "$bin" demo --dir "$m" --count 3 --seed 3 2>"$t/err" || fail "init m"
  cp "$m/store.db" "$t/old.db"
  "$bin" demo --dir "$m" --count 3 --seed 4 2>"$t/err" || fail "demo m"
  "$bin" list --dir "$m" --passphrase-file "$m/demo-passphrase.txt" >"$t/out" 2>"$t/err" || fail "list of a whole folder"
  "$bin" audit verify --dir "$m" >"$t/out" 2>"$t/err" || fail "audit verify of a whole folder"
  grep -q "records: none missing" "$t/out" || fail "audit verify says none missing"
  gone=$(sqlite3 "$m/store.db" "SELECT id FROM records WHERE seq = 2")
  sqlite3 "$m/store.db" "DELETE FROM records WHERE id = '$gone'"
  "$bin" list --dir "$m" --passphrase-file "$m/demo-passphrase.txt" >"$t/out" 2>"$t/err" && fail "list with a deleted row exits 0"
  grep -q "Record $gone (seq 2 of device .*) is missing: it was saved, its row is gone and retention did not delete it." "$t/err" || fail "list names the deleted record"
  grep -q "MISSING *$gone" "$t/out" || fail "list marks the missing row"
  "$bin" audit verify --dir "$m" >"$t/out" 2>"$t/err" && fail "audit verify with a deleted row exits 0"
  grep -q "Record $gone (seq 2" "$t/err" || fail "audit verify names the deleted record"
  cp "$t/old.db" "$m/store.db"
  "$bin" audit verify --dir "$m" >"$t/out" 2>"$t/err" || fail "the old copy is whole in itself"
  "$bin" list --dir "$m" --passphrase-file "$m/demo-passphrase.txt" >"$t/out" 2>"$t/err" && fail "list of a rolled back folder exits 0"
  grep -q "Records seq 4 to 6 of device .* are missing: this worker saw them before: an older store.db was put back (rolled back)" "$t/err" || fail "list names the rollback"
  "$bin" audit verify --dir "$m" --passphrase-file "$m/demo-passphrase.txt" >"$t/out" 2>"$t/err" && fail "audit verify with the key misses the rollback"
  grep -q "but this worker saw entry .* before: an older store.db was put back (rolled back)" "$t/err" || fail "audit verify names the rolled back log"
  r=$t/r
  "$bin" init --demo --dir "$r" 2>"$t/err" && "$bin" demo --dir "$r" --count 20 --seed 5 2>"$t/err" || fail "init r"
  "$bin" retention --dir "$r" --passphrase-file "$r/demo-passphrase.txt" --older-than 30 >"$t/out" 2>"$t/err" || fail "retention r"
  grep -q "Poistettiin [1-9][0-9]* yli" "$t/out" || fail "retention deleted some"
  "$bin" audit verify --dir "$r" --passphrase-file "$r/demo-passphrase.txt" >"$t/out" 2>"$t/err" || fail "retention reported as missing"
else
  echo "sqlite3 shell not installed: tampering checks skipped (the C tests cover them)"
fi
echo "store cli: all checks passed"
