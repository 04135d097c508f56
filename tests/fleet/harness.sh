#!/bin/sh
# The fleet test harness works: pg.sh starts a loopback cluster that answers, restarts on the same
# port and stops; tls.sh makes a server certificate that verifies against its CA and not the other.
# usage: harness.sh TESTS_FLEET_DIR
set -eu
here=$1
tmp=$(mktemp -d)
trap 'sh "$here/pg.sh" stop "$tmp/pg" 2>/dev/null || true; rm -rf "$tmp"' EXIT
dsn=$(sh "$here/pg.sh" start "$tmp/pg")
[ "$(psql "$dsn" -Atc 'select 6*7')" = 42 ] || { echo "FAIL: the cluster does not answer"; exit 1; }
[ "$(psql "$dsn" -Atc 'show listen_addresses')" = 127.0.0.1 ] || { echo "FAIL: not loopback only"; exit 1; }
dsn2=$(sh "$here/pg.sh" restart "$tmp/pg")
[ "$dsn" = "$dsn2" ] || { echo "FAIL: restart moved the port"; exit 1; }
psql "$dsn" -Atc 'select 1' >/dev/null
sh "$here/pg.sh" stop "$tmp/pg"
psql "$dsn" -Atc 'select 1' >/dev/null 2>&1 && { echo "FAIL: still answers after stop"; exit 1; }
sh "$here/tls.sh" "$tmp/tls"
openssl verify -CAfile "$tmp/tls/ca.pem" "$tmp/tls/server.pem" >/dev/null
openssl verify -CAfile "$tmp/tls/other-ca.pem" "$tmp/tls/server.pem" >/dev/null 2>&1 &&
  { echo "FAIL: the other CA verifies the server"; exit 1; }
echo "fleet harness: ok"
