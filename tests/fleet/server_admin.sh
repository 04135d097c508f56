#!/usr/bin/env bash
# The administrator's commands against a real PostgreSQL: migrate is safe to repeat, a newer
# schema is refused, a forged keys bundle is refused, tokens work once and expire, only a hash
# of a token is stored, revoke marks a device.
# usage: server_admin.sh ITSEARVIO FLEET_TOOL TESTS_FLEET_DIR
BIN=$1 TOOL=$2 HERE=$3
. "$HERE/server_lib.sh"
setup_db

# ---- migrate twice; a newer schema is refused by migrate, run and the commands
out=$("$BIN" server migrate --dsn "$DSN" 2>&1)
check "migrate again changes nothing: $out" [ "$out" = "Schema is at version 2; nothing to do." ]
check "two schema_version rows" [ "$(q 'SELECT count(*) FROM schema_version')" = 2 ]
q "INSERT INTO schema_version (version) VALUES (99)"
out=$("$BIN" server migrate --dsn "$DSN" 2>&1) && fail "migrate ran on a newer schema"
check "migrate names the newer schema: $out" grep -q "version 99, newer than this server knows (2)" <<<"$out"
out=$(timeout 20 "$BIN" server run --dsn "$DSN" --listen 127.0.0.1:0 --tls-cert "$tmp/tls/server.pem" \
  --tls-key "$tmp/tls/server.key" 2>&1) && fail "run started on a newer schema"
check "run refuses a newer schema: $out" grep -q "newer than this server" <<<"$out"
out=$("$BIN" server enroll --dsn "$DSN" --team t1 --site s 2>&1) && fail "enroll ran on a newer schema"
check "the newer schema is untouched" [ "$(q 'SELECT max(version) FROM schema_version')" = 99 ]
q "DELETE FROM schema_version WHERE version = 99"

# ---- two migrates at once on an empty database: each step applied once (advisory lock)
q "CREATE DATABASE second"
DSN2=${DSN/dbname=postgres/dbname=second}
"$BIN" server migrate --dsn "$DSN2" 2>"$tmp/m1.err" & m1=$!
"$BIN" server migrate --dsn "$DSN2" 2>"$tmp/m2.err" & m2=$!
check "two migrates at once both succeed" wait $m1 $m2
check "each version row once in the second database" \
  [ "$(psql "$DSN2" -Atqc 'SELECT count(*) FROM schema_version')" = 2 ]

# ---- team-add: the real bundle, a forged one, another folder's, another signer for a taken name
"$BIN" init --mode worker --dir "$tmp/w" --passphrase-file <(echo "worker passphrase 1") >/dev/null 2>&1
echo "worker passphrase 1" > "$tmp/pass"
# init writes the bundle; without it (a folder made before the fleet) team-add names it
mv "$tmp/w/keys-bundle.json" "$tmp/w/bundle.aside" 2>/dev/null || true
out=$("$BIN" server team-add --dsn "$DSN" --team t1 --keys-from "$tmp/w" 2>&1) && fail "team-add without a bundle"
check "team-add names the missing bundle: $out" grep -q "keys-bundle.json" <<<"$out"
[ ! -f "$tmp/w/bundle.aside" ] || mv "$tmp/w/bundle.aside" "$tmp/w/keys-bundle.json"
[ -f "$tmp/w/keys-bundle.json" ] || "$TOOL" bundle "$tmp/w" "$tmp/pass"
check "team-add with the worker's bundle" "$BIN" server team-add --dsn "$DSN" --team t1 --keys-from "$tmp/w"
check "team-add again is fine" "$BIN" server team-add --dsn "$DSN" --team t1 --keys-from "$tmp/w"
cp -r "$tmp/w" "$tmp/forged"
other_key=$(python3 -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')
python3 - "$tmp/forged" "$other_key" <<'PY'
import json, sys
d, key = sys.argv[1], sys.argv[2]
for name in ("keys-bundle.json", "config.json"):  # a swapped recovery key, consistently
    o = json.load(open(f"{d}/{name}")); o["recovery_public_key"] = key
    json.dump(o, open(f"{d}/{name}", "w"))
PY
out=$("$BIN" server team-add --dsn "$DSN" --team t2 --keys-from "$tmp/forged" 2>&1) && fail "forged bundle accepted"
check "a forged bundle is refused: $out" grep -q "signature does not verify" <<<"$out"
"$BIN" init --mode worker --dir "$tmp/w2" --passphrase-file "$tmp/pass" >/dev/null 2>&1
[ -f "$tmp/w2/keys-bundle.json" ] || "$TOOL" bundle "$tmp/w2" "$tmp/pass"
cp "$tmp/w2/keys-bundle.json" "$tmp/w2/own-bundle.json"
cp "$tmp/w/keys-bundle.json" "$tmp/w2/keys-bundle.json"
out=$("$BIN" server team-add --dsn "$DSN" --team t2 --keys-from "$tmp/w2" 2>&1) && fail "another folder's bundle accepted"
check "another folder's bundle is refused: $out" grep -q "does not hold the folder's own public keys" <<<"$out"
cp "$tmp/w2/own-bundle.json" "$tmp/w2/keys-bundle.json"
out=$("$BIN" server team-add --dsn "$DSN" --team t1 --keys-from "$tmp/w2" 2>&1) && fail "team t1 re-keyed"
check "a taken team name keeps its keys: $out" grep -q "registered already with another signer" <<<"$out"
check "one team" [ "$(q 'SELECT count(*) FROM teams')" = 1 ]

# ---- enroll: the token format, one use, expiry, unknown, malformed; only a hash is stored
start_server
token=$("$BIN" server enroll --dsn "$DSN" --team t1 --site site-1 2>/dev/null | tail -1)
check "token format: $token" grep -Eq '^[A-Za-z0-9_-]{22}\.[0-9a-f]{16}$' <<<"$token"
out=$("$BIN" server enroll --dsn "$DSN" --team nope --site s 2>&1) && fail "enroll for an unknown team"
check "enroll names the unknown team: $out" grep -q "no team nope" <<<"$out"
"$BIN" init --mode kiosk --dir "$tmp/k1" --keys-from "$tmp/w" >/dev/null 2>&1
"$BIN" init --mode kiosk --dir "$tmp/k2" --keys-from "$tmp/w" >/dev/null 2>&1
"$TOOL" enrollreq "$tmp/k1" "$token" > "$tmp/e1.json"
"$TOOL" enrollreq "$tmp/k2" "$token" > "$tmp/e2.json"
check "enrol with the token" [ "$(post enroll "$tmp/e1.json" "$tmp/a1.json")" = 200 ]
check "the answer names team and site" grep -q '"team":"t1","site":"site-1"' "$tmp/a1.json"
check "the same device may ask again" [ "$(post enroll "$tmp/e1.json" "$tmp/a1b.json")" = 200 ]
check "and gets the same answer" cmp -s "$tmp/a1.json" "$tmp/a1b.json"
check "a used token is refused" [ "$(post enroll "$tmp/e2.json" "$tmp/a2.json")" = 403 ]
check "with its own message" grep -q "used already" "$tmp/a2.json"
token2=$("$BIN" server enroll --dsn "$DSN" --team t1 --site site-1 2>/dev/null | tail -1)
q "UPDATE enrol_tokens SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL"
"$TOOL" enrollreq "$tmp/k2" "$token2" > "$tmp/e3.json"
check "an expired token is refused" [ "$(post enroll "$tmp/e3.json" "$tmp/a3.json")" = 403 ]
check "with its own message" grep -q "has expired" "$tmp/a3.json"
"$TOOL" enrollreq "$tmp/k2" "AAAAAAAAAAAAAAAAAAAAAA.0123456789abcdef" > "$tmp/e4.json"
check "an unknown token is refused" [ "$(post enroll "$tmp/e4.json" "$tmp/a4.json")" = 403 ]
check "with its own message" grep -q "not known" "$tmp/a4.json"
echo '{"token": 5}' > "$tmp/e5.json"
check "a malformed request is 400" [ "$(post enroll "$tmp/e5.json" "$tmp/a5.json")" = 400 ]
check "one device enrolled" [ "$(q 'SELECT count(*) FROM devices')" = 1 ]
pg_dump "$DSN" > "$tmp/dump.sql"
secret=${token%%.*}
check "no token in the dump or the log" [ "$(cat "$tmp/dump.sql" "$tmp/server.log" | grep -c -e "$secret" -e "${token2%%.*}")" = 0 ]

# ---- revoke
device=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["device_id"])' "$tmp/a1.json")
out=$("$BIN" server revoke --dsn "$DSN" --device no-such-device 2>&1) && fail "revoked an unknown device"
check "revoke names the unknown device: $out" grep -q "No device no-such-device" <<<"$out"
check "revoke" "$BIN" server revoke --dsn "$DSN" --device "$device"
check "revoke twice is fine" "$BIN" server revoke --dsn "$DSN" --device "$device"
curl -sS --cacert "$tmp/tls/ca.pem" "$URL/v1/devices?team=t1" > "$tmp/devices.json"
check "the device list shows the revocation" grep -q '"revoked_at":[0-9]' "$tmp/devices.json"
check "SIGTERM stops the server with 0" stop_server
finish
