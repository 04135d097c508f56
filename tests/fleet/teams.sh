#!/bin/bash
# Team keys with epochs (issue 12 points 1 and 2) against a real PostgreSQL over real HTTPS:
# three workers; one joins after 100 records and reads all of them; one leaves, cannot pull and
# cannot open a record of the new epoch; a device that has not seen the new epoch still uploads
# and its records stay readable by the members who remain; the recovery key opens every record
# of every epoch. Bad input: a forged team bundle, a wrap for a wrong key, an unknown epoch,
# a new epoch by a member who is not the signer: one plain message each, nothing stored.
# usage: teams.sh ITSEARVIO_BINARY FLEET_TOOL TESTS_FLEET_DIR
set -eu
its=$1; tool=$2; here=$3
tmp=$(mktemp -d)
. "$here/lib.sh"
trap fleet_cleanup EXIT

dsn=$(sh "$here/pg.sh" start "$tmp/pg")
sh "$here/tls.sh" "$tmp/tls"
ca="$tmp/tls/ca.pem"
printf 'worker-passphrase-1\n' >"$tmp/pass"
for w in w1 w2 w3; do
  "$its" init --mode worker --dir "$tmp/$w" --passphrase-file "$tmp/pass" --kdf interactive \
    --recovery-out "$tmp/$w-recovery.json" 2>"$tmp/init.log" || { cat "$tmp/init.log"; fail "init $w"; }
done
recovery="$tmp/w1-recovery.json" # the founder's recovery key is the team's
"$its" team create --dir "$tmp/w1" --passphrase-file "$tmp/pass" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "team create"; }
"$its" team create --dir "$tmp/w1" --passphrase-file "$tmp/pass" >"$tmp/out" 2>&1 && fail "a second team create"
grep -q "holds team keys already" "$tmp/out" || fail "second create: $(cat "$tmp/out")"
"$its" server migrate --dsn "$dsn" >/dev/null 2>&1 || fail "server migrate"
"$its" server team-add --dsn "$dsn" --team north --keys-from "$tmp/w1" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "team-add"; }
port=$(free_port)
url="https://127.0.0.1:$port"
server_start

q() { psql "$dsn" -Atqc "$1"; }
fp() { "$its" team fingerprint --dir "$tmp/$1"; }
b64key() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$tmp/$1/config.json" "$2"; }
spk_sql() { echo "decode('$(b64key "$1" worker_sign_public_key)', 'base64')"; }
station() { # station WORKER COMMAND... : a worker command that talks to the server
  local w=$1; shift
  "$its" "$@" --dir "$tmp/$w" --passphrase-file "$tmp/pass" --server "$url" --ca "$ca"
}
pull() { station "$1" pull --team north >"$tmp/pull.out" 2>"$tmp/pull.err"; }
listed() { # listed WORKER: the first line of list, failing on any record that does not open
  "$its" list --dir "$tmp/$1" --passphrase-file "$tmp/pass" --lang en >"$tmp/list.out" 2>"$tmp/list.err" ||
    { cat "$tmp/list.err"; head -3 "$tmp/list.out"; fail "list on $1"; }
  grep -q "could not be opened" "$tmp/list.out" && fail "$1 could not open a record"
  head -1 "$tmp/list.out"
}
fp1=$(fp w1); fp2=$(fp w2); fp3=$(fp w3)
echo "$fp2" | grep -Eq '^[0-9a-f]{4}(-[0-9a-f]{4}){3}$' || fail "fingerprint shape: $fp2"

# ---- w2 joins at once (added by the founder); 100 records from a kiosk ----------------------
station w1 team add-member --member "$tmp/w2" --fingerprint "$fp1" >"$tmp/out" 2>&1 &&
  fail "a wrong fingerprint was accepted"
grep -q "not the keys the newcomer read out" "$tmp/out" || fail "wrong fingerprint: $(cat "$tmp/out")"
[ "$(q 'SELECT count(*) FROM team_members')" = 1 ] || fail "a refused add-member stored a member"
station w1 team add-member --member "$tmp/w2" --fingerprint "$fp2" >"$tmp/out" 2>&1 ||
  { cat "$tmp/out"; fail "add w2"; }
grep -q "with the keys of 1 epochs" "$tmp/out" || fail "add w2 said: $(cat "$tmp/out")"
enrol "$tmp/k1"
enrol "$tmp/k2"
"$its" demo --dir "$tmp/k1" --count 100 --seed 3 2>/dev/null || fail "demo k1"
"$its" sync --dir "$tmp/k1" >/dev/null 2>&1 || fail "sync k1"
[ "$(rows)" = 100 ] || fail "PostgreSQL holds $(rows) records, not 100"
pull w2 || { cat "$tmp/pull.err"; fail "pull w2"; }
listed w2 | grep -q "^100 of 100 assessments" || fail "w2 list: $(head -1 "$tmp/list.out")"

# ---- w3 joins after 100 records, added by w2 (a member who is not the founder) ------------------
station w2 team add-member --member "$tmp/w3" --fingerprint "$(echo "$fp3" | tr a-f A-F)" >"$tmp/out" 2>&1 ||
  { cat "$tmp/out"; fail "add w3"; }
pull w3 || { cat "$tmp/pull.err"; fail "pull w3"; }
grep -q "Pulled 100 new records" "$tmp/pull.out" || fail "w3 pull: $(cat "$tmp/pull.out")"
listed w3 | grep -q "^100 of 100 assessments" || fail "w3 list: $(head -1 "$tmp/list.out")"
grep -q "wrap" "$tmp/w3/team-keys.json" || fail "w3 keeps no wraps"

# ---- only the team's signer starts an epoch; w2 leaves ------------------------------------------
station w3 team remove-member --fingerprint "$fp2" >"$tmp/out" 2>&1 && fail "a non-signer removed a member"
grep -q "Only the team's signer" "$tmp/out" || fail "non-signer: $(cat "$tmp/out")"
[ "$(q 'SELECT count(*) FROM team_epochs')" = 1 ] || fail "a refused remove-member stored an epoch"
station w1 team remove-member --fingerprint "$fp2" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "remove w2"; }
grep -q "epoch 2 started" "$tmp/out" || fail "remove said: $(cat "$tmp/out")"
grep -q "wrapped to member $fp3" "$tmp/out" || fail "remove did not name w3: $(cat "$tmp/out")"
[ "$(q "SELECT count(*) FROM team_wraps WHERE sign_public_key = $(spk_sql w2)")" = 0 ] ||
  fail "the leaver's wraps were kept"
pull w2 && fail "the leaver pulled"
grep -q "was removed from team north" "$tmp/pull.err" || fail "leaver pull: $(cat "$tmp/pull.err")"

# ---- k2 has not seen epoch 2: its records are sealed to epoch 1, still upload and stay readable --
"$its" demo --dir "$tmp/k2" --count 10 --seed 4 2>/dev/null || fail "demo k2"
"$its" sync --dir "$tmp/k2" >/dev/null 2>"$tmp/sync.err" || { cat "$tmp/sync.err"; fail "sync k2"; }
[ "$(rows)" = 110 ] || fail "k2's old-epoch records were not stored ($(rows))"
grep -q '"epoch": 2' "$tmp/k2/config.json" || fail "k2 did not follow epoch 2 at its upload"
grep -q "The team's keys moved to epoch 2" "$tmp/sync.err" || fail "k2's sync did not say: $(cat "$tmp/sync.err")"
# k1 follows epoch 2 at its next upload; what it saves after is sealed to the new key
"$its" sync --dir "$tmp/k1" >/dev/null 2>&1 || fail "sync k1 (follow)"
grep -q '"epoch": 2' "$tmp/k1/config.json" || fail "k1 did not follow epoch 2"
"$its" demo --dir "$tmp/k1" --count 10 --seed 5 2>/dev/null || fail "demo k1 after the epoch"
"$its" sync --dir "$tmp/k1" >/dev/null 2>&1 || fail "sync k1 (epoch 2)"
[ "$(rows)" = 120 ] || fail "PostgreSQL holds $(rows) records, not 120"
for w in w1 w3; do
  pull "$w" || { cat "$tmp/pull.err"; fail "pull $w after the epoch"; }
  listed "$w" | grep -q "^120 of 120 assessments" || fail "$w list: $(head -1 "$tmp/list.out")"
done

# ---- the leaver cannot open a record of epoch 2 (given the bytes anyway), can open epoch 1 ------
new_id=$(sqlite3 "$tmp/k1/store.db" 'SELECT id FROM records WHERE seq > 100 LIMIT 1')
old_id=$(sqlite3 "$tmp/k2/store.db" 'SELECT id FROM records LIMIT 1')
sqlite3 "$tmp/w2/store.db" "ATTACH '$tmp/w3/store.db' AS o; INSERT OR IGNORE INTO devices SELECT * FROM o.devices;
  INSERT OR IGNORE INTO records SELECT * FROM o.records WHERE id IN ('$new_id', '$old_id')"
"$its" show --dir "$tmp/w2" --passphrase-file "$tmp/pass" "$new_id" --lang en >"$tmp/out" 2>&1 &&
  fail "the leaver opened a record of the new epoch"
grep -q "sealed to a team key you do not hold" "$tmp/out" || fail "leaver show: $(cat "$tmp/out")"
"$its" show --dir "$tmp/w2" --passphrase-file "$tmp/pass" "$old_id" >/dev/null 2>&1 ||
  fail "the leaver cannot open a record of the epoch it held"

# ---- the recovery drill: every record of every epoch ---------------------------------------------
"$its" recovery verify --recovery-key "$recovery" --dir "$tmp/w3" >"$tmp/out" 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "recovery verify"; }
[ "$(cat "$tmp/out")" = "Opened 120 of 120 records with the recovery key." ] || fail "drill: $(cat "$tmp/out")"
"$its" recovery verify --recovery-key "$tmp/w2-recovery.json" --dir "$tmp/w3" >"$tmp/out" 2>"$tmp/err" &&
  fail "another folder's recovery key passed the drill"
[ "$(cat "$tmp/out")" = "Opened 0 of 120 records with the recovery key; the ones not opened are named above." ] ||
  fail "wrong-key drill: $(cat "$tmp/out")"
[ "$(grep -c "not opened: Record" "$tmp/err")" = 120 ] || fail "the drill did not name each record"
grep -qE "Vähän|whodas|client" "$tmp/out" "$tmp/err" && fail "the drill showed record content"
# the same against the server: every record it holds, nothing stored (w3 signs the requests)
before=$(sqlite3 "$tmp/w3/store.db" 'SELECT count(*) FROM records')
"$its" recovery verify --recovery-key "$recovery" --server "$url" --ca "$ca" --as "$tmp/w3" \
  --passphrase-file "$tmp/pass" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; fail "recovery verify --server"; }
[ "$(cat "$tmp/out")" = "Opened 120 of 120 records with the recovery key." ] || fail "server drill: $(cat "$tmp/out")"
[ "$(sqlite3 "$tmp/w3/store.db" 'SELECT count(*) FROM records')" = "$before" ] || fail "the server drill stored records"
"$its" recovery verify --recovery-key "$recovery" --server "$url" --ca "$ca" --as "$tmp/w2" \
  --passphrase-file "$tmp/pass" --team north >"$tmp/out" 2>"$tmp/err" && fail "the leaver ran the server drill"
grep -q "was removed from team north" "$tmp/err" || fail "leaver drill: $(cat "$tmp/err")"

# ---- bad input 1: a forged team bundle (another key put in by the server) ------------------------
cp "$tmp/k1/config.json" "$tmp/k1.config"
q "UPDATE teams SET bundle = jsonb_set(bundle, '{worker_public_key}', to_jsonb('$(b64key w2 worker_public_key)'::text))"
"$its" demo --dir "$tmp/k1" --count 1 --seed 6 2>/dev/null
"$its" sync --dir "$tmp/k1" >"$tmp/out" 2>"$tmp/err" && fail "a forged bundle was accepted"
grep -q "it is forged; nothing was changed" "$tmp/err" || fail "forged bundle: $(cat "$tmp/err")"
[ "$(grep -c . "$tmp/err")" = 1 ] || fail "forged bundle: more than one message: $(cat "$tmp/err")"
cmp -s "$tmp/k1/config.json" "$tmp/k1.config" || fail "a forged bundle changed the device's config"
[ "$(rows)" = 120 ] || fail "records went up beside a forged bundle"
q "UPDATE teams SET bundle = (SELECT bundle FROM team_epochs WHERE team = 'north' AND epoch = 2)"
"$its" sync --dir "$tmp/k1" >/dev/null 2>&1 || fail "sync after the bundle was put back"

# ---- bad input 2: a wrap for a wrong key (w1's wrap handed to w3) ---------------------------------
cp "$tmp/w3/team-keys.json" "$tmp/w3.keys"
keep=$(q "SELECT encode(wrap, 'hex') FROM team_wraps WHERE epoch = 1 AND sign_public_key = $(spk_sql w3)")
q "UPDATE team_wraps SET wrap = (SELECT wrap FROM team_wraps WHERE epoch = 1 AND sign_public_key = $(spk_sql w1))
   WHERE epoch = 1 AND sign_public_key = $(spk_sql w3)"
pull w3 && fail "a wrap for a wrong key was accepted"
grep -q "does not open with this worker's key (a wrap for another key); nothing was stored" "$tmp/pull.err" ||
  fail "wrong wrap: $(cat "$tmp/pull.err")"
[ "$(grep -c . "$tmp/pull.err")" = 1 ] || fail "wrong wrap: more than one message"
cmp -s "$tmp/w3/team-keys.json" "$tmp/w3.keys" || fail "a wrong wrap changed w3's team keys"
q "UPDATE team_wraps SET wrap = decode('$keep', 'hex') WHERE epoch = 1 AND sign_public_key = $(spk_sql w3)"
pull w3 || { cat "$tmp/pull.err"; fail "pull after the wrap was put back"; }

# ---- bad input 3: an unknown epoch (a member's request names epoch 7) ------------------------------
"$its" init --mode worker --dir "$tmp/w4" --passphrase-file "$tmp/pass" --kdf interactive \
  --recovery-out "$tmp/w4-recovery.json" 2>/dev/null
wraps_before=$(q 'SELECT count(*) FROM team_wraps')
wrap80=$(python3 -c 'import base64; print(base64.b64encode(bytes(80)).decode())')
member="{\"sign_public_key\": \"$(b64key w4 worker_sign_public_key)\", \"box_public_key\": \"$(b64key w4 worker_public_key)\"}"
body="{\"member\": $member, \"wraps\": [{\"epoch\": 1, \"wrap\": \"$wrap80\"}, {\"epoch\": 2, \"wrap\": \"$wrap80\"},
  {\"epoch\": 7, \"wrap\": \"$wrap80\"}]}"
"$tool" teamreq "$tmp/w3" "$tmp/pass" north add-member "$body" >"$tmp/req.json" || fail "teamreq"
code=$(curl -s -o "$tmp/ans.json" -w '%{http_code}' --cacert "$ca" -H 'Content-Type: application/json' \
  --data-binary @"$tmp/req.json" "$url/v1/team")
[ "$code" = 400 ] || fail "an unknown epoch got HTTP $code: $(cat "$tmp/ans.json")"
grep -q "Team north has no epoch 7; nothing was stored." "$tmp/ans.json" || fail "unknown epoch: $(cat "$tmp/ans.json")"
[ "$(q "SELECT count(*) FROM team_members WHERE sign_public_key = $(spk_sql w4)")" = 0 ] ||
  fail "a request with an unknown epoch stored the member"
[ "$(q 'SELECT count(*) FROM team_wraps')" = "$wraps_before" ] || fail "a request with an unknown epoch stored wraps"

# ---- upgrade: a server database of schema 1 with a team of one gets it as epoch 1 ----------------
q "CREATE DATABASE upgrade"
dsn2=${dsn/dbname=postgres/dbname=upgrade}
"$its" server migrate --dsn "$dsn2" >/dev/null 2>&1 || fail "migrate the upgrade database"
# back to schema 1 as the version before left it (its tables are unchanged in schema 2)
psql "$dsn2" -Atqc "DROP TABLE team_wraps; DROP TABLE team_epochs;
  ALTER TABLE team_members DROP COLUMN box_public_key, DROP COLUMN removed_at;
  DELETE FROM schema_version WHERE version = 2"
bundle=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); b["team"]="old"; print(json.dumps(b))' \
  "$tmp/w4/keys-bundle.json")
psql "$dsn2" -Atqc "INSERT INTO teams (team, bundle, signer_public_key) VALUES ('old', '$bundle'::jsonb,
  $(spk_sql w4)); INSERT INTO team_members (team, sign_public_key) VALUES ('old', $(spk_sql w4))"
out=$("$its" server migrate --dsn "$dsn2" 2>&1) || fail "migrate from schema 1: $out"
[ "$out" = "Schema upgraded from version 1 to 2." ] || fail "upgrade said: $out"
wpk="decode('$(b64key w4 worker_public_key)', 'base64')"
[ "$(psql "$dsn2" -Atqc "SELECT count(*) FROM team_epochs WHERE team = 'old' AND epoch = 1 AND public_key = $wpk")" = 1 ] ||
  fail "the old team did not become epoch 1 of its own key"
[ "$(psql "$dsn2" -Atqc "SELECT count(*) FROM team_members WHERE team = 'old' AND box_public_key = $wpk")" = 1 ] ||
  fail "the old team's founder did not get its worker key"
echo "teams: ok"
