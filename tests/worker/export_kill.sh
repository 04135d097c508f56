#!/bin/sh
# SIGKILL at random points of a large export: no plaintext temporary may outlive the next start of
# a worker session (export.c, E2), and an "export" audit entry is only ever written for a file that
# is there and complete (E3).
# usage: export_kill.sh ITSEARVIO [TRIALS [RECORDS [SEED]]]   (ITSEARVIO_DATA: the source folder)
set -u
bin=$1 trials=${2:-12} records=${3:-1200} seed=${4:-$$}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/its-exkill-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
bad() { fail=$((fail + 1)); echo "FAILED trial $t ($1)"; }
"$bin" init --demo --dir "$tmp/data" >/dev/null 2>&1 &&
  "$bin" demo --dir "$tmp/data" --count "$records" --seed 9 >/dev/null 2>&1 ||
  { echo "0 passed, 1 failed: demo data could not be made"; exit 1; }
W="--dir $tmp/data --passphrase-file $tmp/data/demo-passphrase.txt"
mkdir "$tmp/out"
exports() { "$bin" audit list --dir "$tmp/data" | awk -F "\t" '$3 == "export"' | wc -l; }

# How long one whole export takes here, so the kills fall inside it.
start=$(date +%s%N)
"$bin" export $W --format fhir --out "$tmp/out/all.json" >/dev/null 2>&1
whole_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "one export of $records assessments: $whole_ms ms; seed $seed"
rm -f "$tmp/out/all.json"

killed_with_temp=0
t=0
while [ $t -lt "$trials" ]; do
  t=$((t + 1))
  delay_ms=$(awk -v s="$seed" -v t="$t" -v w="$whole_ms" 'BEGIN { srand(s + t); printf "%d", rand() * w * 1.1 }')
  before=$(exports)
  "$bin" export $W --format fhir --out "$tmp/out/all.json" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v d="$delay_ms" 'BEGIN { printf "%.3f", d / 1000 }')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  ls -A "$tmp/out" | grep -q '^\.all\.json\.' && killed_with_temp=$((killed_with_temp + 1))
  after=$(exports)
  # E3: a logged export is there and complete
  if [ "$after" -gt "$before" ]; then
    if [ -f "$tmp/out/all.json" ] && tail -c 4 "$tmp/out/all.json" | grep -q ']}'; then pass=$((pass + 1)); else bad "logged but no complete file"; fi
  fi
  # E2: the next worker session removes the temporary and the note
  "$bin" list $W >/dev/null 2>&1 || bad "list after the kill"
  if ls -A "$tmp/out" | grep -q '^\.'; then bad "temporary left: $(ls -A "$tmp/out")"; else pass=$((pass + 1)); fi
  if ls -A "$tmp/data" | grep -q '^\.export-'; then bad "note left"; else pass=$((pass + 1)); fi
  rm -f "$tmp/out/all.json"
done
echo "$trials kills, $killed_with_temp of them left a temporary that the next start removed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
