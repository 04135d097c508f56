#!/bin/sh
# `itsearvio score` on bad input: each case must exit non-zero with its plain message, and the
# vectors' notation must reproduce a published row from the command line.
# usage: score_errors.sh ITSEARVIO SOURCE_DIR
set -u
bin=$1 src=$2
q12=$src/questionnaires/whodas12-style.json
q36=$src/questionnaires/whodas36-style.json
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$src/tests/cli/expect.sh"
# the messages below are the English ones (tests/cli/lang.sh reads them in Swedish)
unset LC_ALL LC_MESSAGES
export LANG=en_GB.UTF-8

echo '{"answers": {"S1": 2, "S99": 1}}' > "$tmp/unknown.json"
echo '{"answers": {"S1": 9}}' > "$tmp/range.json"
printf '{"answers": {"S1": 2,}}' > "$tmp/malformed.json"
echo '{"answers": {"S1": "maybe"}}' > "$tmp/word.json"
echo '{"questionnaire": "whodas36-style", "answers": {}}' > "$tmp/other.json"
expect unknown-item 1 'unknown.json: unknown item "S99"' -- "$bin" score --questionnaire "$q12" "$tmp/unknown.json"
expect out-of-range 1 'range.json: S1: 9 is not an answer' -- "$bin" score --questionnaire "$q12" "$tmp/range.json"
expect malformed 1 'malformed.json:1:22: malformed JSON' -- "$bin" score --questionnaire "$q12" "$tmp/malformed.json"
expect not-a-value 1 '"maybe" is not a value' -- "$bin" score --questionnaire "$q12" "$tmp/word.json"
expect other-questionnaire 1 'answers are for "whodas36-style"' -- "$bin" score --questionnaire "$q12" "$tmp/other.json"
expect too-few 1 'too few answers' -- "$bin" score --questionnaire "$q12" --answers "1 2 3"
expect too-many 1 'too many answers' -- "$bin" score --questionnaire "$q12" --answers "1 1 1 1 1 1 1 1 1 1 1 1 1"
expect bad-works 2 '--works takes yes or no' -- "$bin" score --questionnaire "$q12" --answers "1" --works maybe
expect missing-file 1 'nonexistent.json:1:1: cannot open' -- "$bin" score --questionnaire "$tmp/nonexistent.json" --answers "1"
expect worker-answer-for-nonworker 1 'D5.5, D5.6, D5.7, D5.8 have an answer but WORK says the person does not work or study' -- "$bin" score --questionnaire "$q36" \
  --works no --answers "1 0 2 1 0 3 2 1 0 1 3 0 1 0 2 1 0 0 2 4 1 2 2 1 2 3 1 0 1 2 0 3 4 1 2 0"
expect vector-mixed-works 0 '"overall_irt": 40.566' -- "$bin" score --questionnaire "$q36" --works yes \
  --answers "1 0 2 1 0 3 2 1 0 1 3 0 1 0 2 1 0 0 2 4 1 2 2 1 2 3 1 0 1 2 0 3 4 1 2 0"
expect vector-not-scored 0 '"status": "not_scored"' -- "$bin" score --questionnaire "$q12" --answers "x 1 x 1 x 0 2 0 0 1 0 2"
# The work rule is the same for an answers file (issue 18): WORK 0 with a work answer is refused
# naming it; the work answers without WORK are scored like --answers (work-block-extreme: 13.2075).
zeros='"D1.1":0,"D1.2":0,"D1.3":0,"D1.4":0,"D1.5":0,"D1.6":0,"D2.1":0,"D2.2":0,"D2.3":0,"D2.4":0,"D2.5":0,"D3.1":0,"D3.2":0,"D3.3":0,"D3.4":0,"D4.1":0,"D4.2":0,"D4.3":0,"D4.4":0,"D4.5":0,"D5.1":0,"D5.2":0,"D5.3":0,"D5.4":0,"D6.1":0,"D6.2":0,"D6.3":0,"D6.4":0,"D6.5":0,"D6.6":0,"D6.7":0,"D6.8":0'
echo "{\"answers\": {$zeros, \"WORK\": 0, \"D5.5\": 2}}" > "$tmp/stale-work.json"
echo "{\"answers\": {$zeros, \"D5.5\": 4, \"D5.6\": 4, \"D5.7\": 4, \"D5.8\": 4}}" > "$tmp/derived-work.json"
expect file-work-answer-for-nonworker 1 'stale-work.json: D5.5 has an answer but WORK says' -- "$bin" score \
  --questionnaire "$q36" "$tmp/stale-work.json"
expect file-derived-work 0 '"overall_irt": 13.2075' -- "$bin" score --questionnaire "$q36" "$tmp/derived-work.json"
expect notation-derived-work 0 '"overall_irt": 13.2075' -- "$bin" score --questionnaire "$q36" \
  --answers "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 4 4 4 4 0 0 0 0 0 0 0 0"
# A clinic's own rule file replaces the defaults; a broken one is refused with file:line.
mixed="1 0 2 1 0 3 2 1 0 1 3 0 1 0 2 1 0 0 2 4 1 2 2 1 2 3 1 0 1 2 0 3 4 1 2 0"
expect clinic-rules 0 '"rule": "C1"' -- "$bin" score --questionnaire "$q36" --works yes --answers "$mixed" \
  --rules "$src/tests/fixtures/clinic-rules.json"
expect clinic-rules-version 0 '"rules_version": "clinic-2026-1"' -- "$bin" score --questionnaire "$q36" --works yes \
  --answers "$mixed" --rules "$src/tests/fixtures/clinic-rules.json"
expect clinic-rules-broken 1 'clinic-rules-broken.json:5:15: unknown score "overal"' -- "$bin" check "$q36" \
  --rules "$src/tests/fixtures/clinic-rules-broken.json"
out=$("$bin" score --questionnaire "$q36" --works yes --answers "$mixed" --rules "$src/tests/fixtures/clinic-rules.json")
if printf '%s' "$out" | grep -q '"rule": "R1"'; then
  fail=$((fail + 1)); echo "FAILED: the default rules still fired with a clinic file"
else
  pass=$((pass + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
