#!/bin/sh
# `itsearvio demo` answers within the questionnaires' own answer checks (app/core/answercheck.c:
# H2 + H3 at most 30 days, H2 at most H1): no demo record's `show` lists a failed check, and the
# demo still has day counts to show. Usage: demo_checks.sh ITSEARVIO (ITSEARVIO_DATA: the source
# folder).
set -u
bin=$1
. "$(dirname "$0")/check.sh"
check_tmp demo-checks

"$bin" init --demo --dir "$tmp/data" >/dev/null 2>&1; check '[ $? -eq 0 ]'
W="--dir $tmp/data --passphrase-file $tmp/data/demo-passphrase.txt --lang en"
for qn in whodas12-style whodas36-style; do
    "$bin" demo --dir "$tmp/data" --count 40 --seed 11 \
        --questionnaire "$ITSEARVIO_DATA/questionnaires/$qn.json" >/dev/null 2>&1
    check '[ $? -eq 0 ]'
done
"$bin" list $W >"$tmp/list"; check '[ $? -eq 0 ] && head -1 "$tmp/list" | grep -q "^80 of 80 "'
shown=0 failed=0 days=0
for id in $(grep "^20" "$tmp/list" | awk '{print $NF}'); do
    "$bin" show $W "$id" >"$tmp/show" || bad "show $id"
    shown=$((shown + 1))
    if grep -q "^Answer checks" "$tmp/show"; then
        failed=$((failed + 1))
        [ "$failed" -eq 1 ] && grep -A2 "^Answer checks" "$tmp/show" >&2
    fi
    grep -q -- "-> [1-9][0-9]* days" "$tmp/show" && days=$((days + 1))
done
check '[ "$shown" -eq 80 ]'
check '[ "$failed" -eq 0 ]'
check '[ "$days" -gt 10 ]' # the days are still there, only within the checks
check_end
