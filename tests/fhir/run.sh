#!/bin/sh
# The FHIR export against the official HL7 FHIR R4 JSON schema, checked by an independent
# validator (ajv on Node.js, tests/fhir/validate.js; installed by tools/install-deps.sh): a demo
# export of 60 assessments (about 600 resources) must give 0 errors.
# usage: run.sh ITSEARVIO   (ITSEARVIO_DATA names the source folder for the questionnaires)
set -u
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/its-fhir-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
command -v node >/dev/null || { echo "node is missing: run sh tools/install-deps.sh"; echo "0 passed, 1 failed"; exit 1; }
"$bin" init --demo --dir "$tmp/data" >/dev/null 2>&1 &&
  "$bin" demo --dir "$tmp/data" --count 60 --seed 15 >/dev/null 2>&1 &&
  # one research consent withdrawn, so the export holds a Consent of every kind
  yes=$("$bin" export --dir "$tmp/data" --passphrase-file "$tmp/data/demo-passphrase.txt" --format csv \
    2>/dev/null | grep ",yes,,," | head -1 | cut -d, -f1) &&
  "$bin" consent --dir "$tmp/data" --passphrase-file "$tmp/data/demo-passphrase.txt" "$yes" --withdraw \
    >/dev/null 2>&1 &&
  "$bin" export --dir "$tmp/data" --passphrase-file "$tmp/data/demo-passphrase.txt" --format fhir \
    --out "$tmp/bundle.json" 2>"$tmp/err" ||
  { cat "$tmp/err"; echo "0 passed, 1 failed: the demo export could not be made"; exit 1; }
node "$here/validate.js" "$tmp/bundle.json"
