#!/usr/bin/env bash
# Uploads and pulls over real HTTPS into a real PostgreSQL: each record status (stored,
# duplicate, conflict kept in quarantine, refused for a bad signature), audit heads and a
# rollback, refused devices, malformed and oversize bodies, a wrong CA, and a worker's pull.
# usage: server_upload.sh ITSEARVIO FLEET_TOOL TESTS_FLEET_DIR
BIN=$1 TOOL=$2 HERE=$3
. "$HERE/server_lib.sh"
setup_db
start_server
make_team t1 "$tmp/w"
make_device "$tmp/k" "$tmp/w" t1 250
dev=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["device_id"])' "$tmp/k/config.json")
rows() { q "SELECT count(*) FROM records"; }

# ---- stored, duplicate, the rest stored
check "two batches" [ "$("$TOOL" batches "$tmp/k" "$tmp/b" 200 5 -)" = 2 ]
check "upload 1" [ "$(post upload "$tmp/b.1.json" "$tmp/a.json")" = 200 ]
check "200 stored, audit ok" [ "$(counts "$tmp/a.json")" = "200 0 0 0 ok" ]
check "upload 1 again" [ "$(post upload "$tmp/b.1.json" "$tmp/a.json")" = 200 ]
check "200 duplicate" [ "$(counts "$tmp/a.json")" = "0 200 0 0 ok" ]
check "upload 2" [ "$(post upload "$tmp/b.2.json" "$tmp/a.json")" = 200 ]
check "50 stored" [ "$(counts "$tmp/a.json")" = "50 0 0 0 ok" ]
check "250 rows" [ "$(rows)" = 250 ]
check "stored byte for byte" [ "$(q "SELECT count(*) FROM records WHERE size = octet_length(envelope)
  AND hash = decode(encode(hash, 'hex'), 'hex') AND kind = 'ITSR' AND seq > 0")" = 250 ]
check "seq 1..250 without gaps" [ "$(q "SELECT count(DISTINCT seq) || ' ' || min(seq) || ' ' || max(seq) FROM records")" = "250 1 250" ]

# ---- same id, other bytes (signed by the device): conflict, quarantined, stored row untouched
first=$(q "SELECT record_id FROM records ORDER BY cursor LIMIT 1")
before=$(q "SELECT md5(envelope) FROM records WHERE record_id = '$first'")
"$TOOL" batches "$tmp/k" "$tmp/c" 200 6 conflict >/dev/null
check "conflict batch" [ "$(post upload "$tmp/c.1.json" "$tmp/a.json")" = 200 ]
check "1 conflict, 199 duplicate" [ "$(counts "$tmp/a.json")" = "0 199 1 0 ok" ]
check "the conflict says so" grep -q "stored already with other bytes" "$tmp/a.json"
check "kept in quarantine" [ "$(q "SELECT count(*) FROM quarantine WHERE record_id = '$first'")" = 1 ]
check "the stored row is untouched" [ "$(q "SELECT md5(envelope) FROM records WHERE record_id = '$first'")" = "$before" ]
check "a person is told" [ "$(q "SELECT count(*) FROM server_log WHERE event = 'conflict'")" = 1 ]

# ---- a broken signature: refused, the rest of the batch goes on
"$TOOL" batches "$tmp/k" "$tmp/s" 200 - badsig >/dev/null
check "bad-signature batch" [ "$(post upload "$tmp/s.1.json" "$tmp/a.json")" = 200 ]
check "1 refused" [ "$(counts "$tmp/a.json")" = "0 199 0 1 -" ]
check "the refusal names the signature" grep -q "signature does not match" "$tmp/a.json"

# ---- another device's batch with this device's records: refused (header device differs)
make_device "$tmp/k2" "$tmp/w" t1 0
python3 - "$tmp/b.2.json" "$tmp/k2/config.json" "$tmp/o.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1])); b["device"] = json.load(open(sys.argv[2]))["device_id"]
b.pop("audit_head", None); json.dump(b, open(sys.argv[3], "w"))
PY
check "another device's records" [ "$(post upload "$tmp/o.json" "$tmp/a.json")" = 200 ]
check "all 50 refused" [ "$(counts "$tmp/a.json")" = "0 0 0 50 -" ]

# ---- two records' ids swapped: each id differs from the one inside its envelope: refused
python3 - "$tmp/b.2.json" "$tmp/x.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1])); r = b["records"]
r[0]["id"], r[1]["id"] = r[1]["id"], r[0]["id"]
b["records"] = r[:2]; b.pop("audit_head", None); json.dump(b, open(sys.argv[2], "w"))
PY
check "swapped ids" [ "$(post upload "$tmp/x.json" "$tmp/a.json")" = 200 ]
check "both refused" [ "$(counts "$tmp/a.json")" = "0 0 0 2 -" ]
check "naming the id" grep -q "its id differs from the id inside the envelope" "$tmp/a.json"

# ---- audit heads: a lower seq than seen is a rollback (records still stored)
"$TOOL" batches "$tmp/k" "$tmp/r" 200 3 - >/dev/null
check "rollback batch" [ "$(post upload "$tmp/r.1.json" "$tmp/a.json")" = 200 ]
check "answered rollback" grep -q '"audit":"rollback: ' "$tmp/a.json"
check "logged for a person" [ "$(q "SELECT count(*) FROM server_log WHERE event = 'rollback'")" = 1 ]
check "every head kept" [ "$(q "SELECT string_agg(seq::text, ' ' ORDER BY seq) FROM audit_heads")" = "3 5 6" ]

# ---- malformed, oversize, unknown device, wrong CA
echo '{"device": "k", "records": [' > "$tmp/bad.json"
check "malformed batch is 400" [ "$(post upload "$tmp/bad.json" "$tmp/a.json")" = 400 ]
check "with a sentence" grep -q '"error":"The upload batch is not a JSON object' "$tmp/a.json"
head -c 9000000 /dev/zero | tr '\0' ' ' > "$tmp/big.json"
check "oversize body is 413" [ "$(post upload "$tmp/big.json" "$tmp/a.json")" = 413 ]
check "with a sentence" grep -q "larger than the server accepts" "$tmp/a.json"
"$BIN" init --mode kiosk --dir "$tmp/k3" --keys-from "$tmp/w" >/dev/null 2>&1
"$BIN" demo --dir "$tmp/k3" --count 3 >/dev/null
"$TOOL" batches "$tmp/k3" "$tmp/u" 200 - - >/dev/null
check "an unknown device is 403" [ "$(post upload "$tmp/u.1.json" "$tmp/a.json")" = 403 ]
check "with a sentence" grep -q "not enrolled on this server" "$tmp/a.json"
curl -sS --cacert "$tmp/tls/other-ca.pem" --data-binary "@$tmp/b.1.json" "$URL/v1/upload" \
  -o /dev/null 2>"$tmp/curl.err" && fail "a wrong CA was accepted"
check "a wrong CA fails verification" grep -qi "certificate" "$tmp/curl.err"
check "nothing stored by the refusals" [ "$(rows)" = 250 ]

# ---- pull: every record once, in pages; a key that is not a member is refused
after=0 total=0 more=1
while [ "$more" = 1 ]; do
  "$TOOL" pullreq "$tmp/w" "$tmp/w/demo-passphrase.txt" t1 "$after" 100 > "$tmp/p.json"
  [ "$(post pull "$tmp/p.json" "$tmp/page.json")" = 200 ] || { fail "pull page after $after"; break; }
  read -r n after more <<<"$("$TOOL" page "$tmp/page.json")"
  total=$((total + n))
done
check "pulled all 250 in pages: $total" [ "$total" = 250 ]
make_team t2 "$tmp/w2"
"$TOOL" pullreq "$tmp/w2" "$tmp/w2/demo-passphrase.txt" t1 0 100 > "$tmp/p.json"
check "another team's worker is refused" [ "$(post pull "$tmp/p.json" "$tmp/page.json")" = 403 ]
"$TOOL" pullreq "$tmp/w2" "$tmp/w2/demo-passphrase.txt" t2 0 100 > "$tmp/p.json"
post pull "$tmp/p.json" "$tmp/page.json" >/dev/null
check "team t2 sees none of t1's records" [ "$("$TOOL" page "$tmp/page.json")" = "0 0 0" ]
as_team() { # rows of records visible to the service's role as team $1, without any WHERE
  psql "$DSN" -Atq -c "BEGIN" -c "SET LOCAL ROLE itsearvio_app" \
    -c "SELECT set_config('itsearvio.team', '$1', true)" -c "SELECT count(*) FROM records" -c "COMMIT" | tail -1
}
check "row-level security: t1 sees its 250" [ "$(as_team t1)" = 250 ]
check "row-level security: t2 sees none" [ "$(as_team t2)" = 0 ]
curl -sS --cacert "$tmp/tls/ca.pem" "$URL/v1/devices?team=t1" > "$tmp/devices.json"
check "the device list has the device's key" grep -q "\"device\":\"$dev\"" "$tmp/devices.json"

# ---- revoked: the whole batch refused with the protocol's sentence, nothing changes
"$BIN" server revoke --dsn "$DSN" --device "$dev" 2>/dev/null
check "a revoked device is 403" [ "$(post upload "$tmp/b.1.json" "$tmp/a.json")" = 403 ]
check "with the protocol's sentence" grep -q "This device has been revoked; its records stay on it until a person collects them." "$tmp/a.json"
check "still 250 rows" [ "$(rows)" = 250 ]
check "SIGTERM stops the server with 0" stop_server
finish
