#!/bin/sh
# Research consent end to end on demo data (issue 13 point 1): the kiosk's choice is shown by
# `show` and the exports; a withdrawal is recorded once, dated, on a "yes" only, and shown
# everywhere; declining changes nothing else. Usage: consent.sh ITSEARVIO
set -u
bin=$1
. "$(dirname "$0")/check.sh"
check_tmp consent

"$bin" init --demo --dir "$tmp/data" >/dev/null 2>&1
"$bin" demo --dir "$tmp/data" --count 30 --seed 3 >/dev/null 2>&1
W="--dir $tmp/data --passphrase-file $tmp/data/demo-passphrase.txt"

# The CSV names each record's consent: yes / no / not_asked, then the withdrawal day (empty).
"$bin" export $W --format csv --out "$tmp/all.csv" 2>/dev/null; check '[ $? -eq 0 ]'
check 'head -1 "$tmp/all.csv" | grep -q ",flag_details,research_consent,consent_withdrawn,assisted_by,"'
yes=$(grep ",yes,,," "$tmp/all.csv" | head -1 | cut -d, -f1)
no=$(grep ",no,,," "$tmp/all.csv" | head -1 | cut -d, -f1)
check '[ -n "$yes" ] && [ -n "$no" ]'
check 'grep -q ",not_asked,,," "$tmp/all.csv"'

"$bin" show $W "$yes" >"$tmp/yes"; check '[ $? -eq 0 ] && grep -q "^Tutkimuslupa: kyllä$" "$tmp/yes"'
"$bin" show $W --lang en "$no" >"$tmp/no"; check 'grep -q "^Research consent: no$" "$tmp/no"'
check '! grep -q "interview" "$tmp/yes"'

# Withdrawal: needs --withdraw; a bad date is refused and stores nothing.
"$bin" consent $W "$yes" >/dev/null 2>&1; check '[ $? -eq 2 ]'
"$bin" consent $W "$yes" --withdraw --date 2026-13-40 >/dev/null 2>"$tmp/err"
check '[ $? -eq 1 ] && grep -q "date" "$tmp/err"'
"$bin" show $W "$yes" | grep -q "^Tutkimuslupa: kyllä$" && ok || bad "a refused withdrawal stored nothing"
"$bin" consent $W "$yes" --withdraw --date 2026-12-01 >"$tmp/out"; check '[ $? -eq 0 ] && grep -q "peruttu" "$tmp/out"'
"$bin" show $W "$yes" >"$tmp/yes2"; check 'grep -q "^Tutkimuslupa: peruttu 2026-12-01$" "$tmp/yes2"'
"$bin" show $W --lang sv "$yes" | grep -q "^Forskningssamtycke: återkallat 2026-12-01$" && ok || bad "sv withdrawn"
# The programme (the demo folder has a programme key) gets the withdrawal as a sealed update.
check '[ "$(sqlite3 "file:$tmp/data/store.db?mode=ro" "SELECT count(*) FROM programme WHERE kind = '"'"'consent'"'"'")" = 1 ]'
# ... which the report reads as a known update, not as something it could not open.
"$bin" report --dir "$tmp/data" --passphrase-file "$tmp/data/demo-passphrase.txt" --format csv \
  --out "$tmp/report.csv" >/dev/null 2>"$tmp/err"; check '[ $? -eq 0 ] && ! grep -qi "could not\|unreadable" "$tmp/err"'
# ... once; a "no" has nothing to withdraw.
"$bin" consent $W "$yes" --withdraw >/dev/null 2>"$tmp/err"; check '[ $? -eq 1 ] && grep -q "already withdrawn" "$tmp/err"'
"$bin" consent $W "$no" --withdraw >/dev/null 2>"$tmp/err"; check '[ $? -eq 1 ] && grep -q "nothing to withdraw" "$tmp/err"'
"$bin" consent $W 00000000-0000-0000-0000-000000000000 --withdraw >/dev/null 2>&1; check '[ $? -eq 1 ]'

# Declining or withdrawing changes nothing else: the scores, flags and answers stay as they were.
sed '/^Tutkimuslupa/d' "$tmp/yes" >"$tmp/a"; sed '/^Tutkimuslupa/d' "$tmp/yes2" >"$tmp/b"
check 'cmp -s "$tmp/a" "$tmp/b"'

# The exports say it: CSV withdrawn with its day, FHIR a Consent (inactive), the PDF a line.
"$bin" export $W --format csv --record "$yes" >"$tmp/one.csv" 2>/dev/null; check 'grep -q ",withdrawn,2026-12-01,," "$tmp/one.csv"'
"$bin" export $W --format fhir --record "$yes" >"$tmp/y.json" 2>/dev/null
check 'grep -q "\"resourceType\":\"Consent\"" "$tmp/y.json" && grep -q "\"status\":\"inactive\"" "$tmp/y.json" && grep -q "\"end\":\"2026-12-01\"" "$tmp/y.json"'
"$bin" export $W --format fhir --record "$no" >"$tmp/n.json" 2>/dev/null; check 'grep -q "\"type\":\"deny\"" "$tmp/n.json"'
"$bin" export $W --format pdf --record "$yes" --out "$tmp/y.pdf" 2>/dev/null; check '[ $? -eq 0 ]'
if command -v pdftotext >/dev/null 2>&1; then
  pdftotext "$tmp/y.pdf" - | grep -q "Tutkimuslupa: peruttu 2026-12-01" && ok || bad "pdf consent line"
fi
# Interviewer-assisted records (the demo makes some): the list marks them, show names the worker
# key, the CSV has it in assisted_by and FHIR as the response's author.
fp=$(grep -o ",[0-9a-f]\{16\}," "$tmp/all.csv" | head -1 | tr -d ,)
check '[ -n "$fp" ]'
assisted=$(grep ",$fp," "$tmp/all.csv" | head -1 | cut -d, -f1)
"$bin" list $W >"$tmp/list" 2>/dev/null; check 'grep "$assisted" "$tmp/list" | grep -q " haastattelu "'
check '[ $(grep -c " haastattelu " "$tmp/list") -eq $(grep -c ",$fp," "$tmp/all.csv") ]'
"$bin" show $W "$assisted" >"$tmp/as"; check 'grep -q "(haastattelu), työntekijän avain $fp" "$tmp/as"'
"$bin" export $W --format fhir --record "$assisted" >"$tmp/a.json" 2>/dev/null
check 'grep -q "\"author\":{[^}]*\"value\":\"$fp\"" "$tmp/a.json"'

# The withdrawal is a sealed note, written to the audit log like every save.
"$bin" audit verify --dir "$tmp/data" --passphrase-file "$tmp/data/demo-passphrase.txt" >/dev/null 2>&1; check '[ $? -eq 0 ]'

check_end
