#!/bin/sh
# Throwaway TLS material for the fleet tests (openssl):
#   DIR/ca.pem, DIR/ca.key          a test CA
#   DIR/server.pem, DIR/server.key  a server certificate for 127.0.0.1 and localhost, by that CA
#   DIR/other-ca.pem                an unrelated CA (the wrong-CA test)
# usage: tests/fleet/tls.sh DIR
set -eu
dir=${1:?usage: tls.sh DIR}
mkdir -p "$dir"
cd "$dir"
q() { "$@" >/dev/null 2>&1 || { echo "tls.sh: $* failed" >&2; "$@"; exit 1; }; }
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=Itsearvio test CA" -keyout ca.key -out ca.pem
q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/CN=localhost" -keyout server.key -out server.csr
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > ext.cnf
q openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile ext.cnf -out server.pem
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=Some other CA" -keyout other-ca.key -out other-ca.pem
rm -f server.csr ext.cnf ca.srl other-ca.key
chmod 600 ca.key server.key
