#!/bin/sh
# The programme report end to end (issue 13 points 4 and 5): `init --demo` makes a programme key,
# `demo` fills summaries, `report` writes the CSV (a column named count) and the one-page PDF
# (rendered to PNG with pdftoppm: report-programme.png in the build folder, to look at); the
# report opens only with the programme key (a wrong passphrase and the worker key are refused
# with a plain message); it names no client code (every code `list` shows is searched for in
# the CSV and the PDF's text); --min-cell below 3 is refused; a referral recorded by the worker
# reaches the report; a kiosk made from a programme's worker folder seals summaries too.
# Usage: report.sh ITSEARVIO (ITSEARVIO_DATA: the source folder).
set -u
bin=$1
. "$(dirname "$0")/check.sh"
check_tmp report

"$bin" init --demo --dir "$tmp/data" >/dev/null 2>&1; check '[ $? -eq 0 ]'
check '[ -f "$tmp/data/programme.key" ] && [ -f "$tmp/data/programme-pseudonym.key" ]'
check '[ "$(stat -c %a "$tmp/data/programme-pseudonym.key")" = 600 ]'
"$bin" demo --dir "$tmp/data" --count 150 --seed 7 >/dev/null 2>&1; check '[ $? -eq 0 ]'
P="--passphrase-file $tmp/data/demo-passphrase.txt"
D="--dir $tmp/data"

# The CSV: a header with `count`, 150 summaries in the grand total, no 1-4 published.
"$bin" report $D $P --format csv --out "$tmp/report.csv" 2>"$tmp/err"; check '[ $? -eq 0 ]'
check 'head -1 "$tmp/report.csv" | grep -qx "table,row,column,count,percent"'
check 'grep -qx "by_month,total,total,150," "$tmp/report.csv"'
check '! cut -d, -f4 "$tmp/report.csv" | grep -qx "[1-4]"'
check 'grep -q ",<5," "$tmp/report.csv"'
# Hidden to protect another: "*", not "<5" (which would say it is small); the legend says so in
# the reader's language, CSV and PDF.
check 'grep -qx "legend,<5,liian pieni luku näytettäväksi,," "$tmp/report.csv"'
check 'grep -q "^legend,\*,\"piilotettu, jotta pientä lukua" "$tmp/report.csv"'
check '[ "$(tail -2 "$tmp/report.csv" | cut -d, -f1 | sort -u)" = legend ]'
"$bin" report $D $P --format csv --lang sv 2>/dev/null | grep -qx "legend,<5,för litet tal för att visas,," &&
  ok || bad "legend in Swedish"
check 'grep -q "Report of 150 programme summaries" "$tmp/err"'
# To standard output without --out, the same text.
"$bin" report $D $P --format csv 2>/dev/null | cmp -s - "$tmp/report.csv"; check '[ $? -eq 0 ]'
# A larger --min-cell hides more; below 3 is refused.
"$bin" report $D $P --format csv --min-cell 10 2>/dev/null >"$tmp/m10.csv"; check '[ $? -eq 0 ]'
check '! cut -d, -f4 "$tmp/m10.csv" | grep -qx "[1-9]"'
"$bin" report $D $P --format csv --min-cell 2 >/dev/null 2>"$tmp/err"; check '[ $? -eq 2 ]'
check 'grep -q "at least 3" "$tmp/err"'

# The PDF: one page, looked at as a PNG.
"$bin" report $D $P --format pdf --out "$tmp/report.pdf" --lang en 2>/dev/null; check '[ $? -eq 0 ]'
check '[ "$(pdfinfo "$tmp/report.pdf" 2>/dev/null | awk "/^Pages:/ {print \$2}")" = 1 ]'
pdftoppm -png -r 60 -singlefile "$tmp/report.pdf" "$tmp/page" && cp "$tmp/page.png" ./report-programme.png
check '[ -s "$tmp/page.png" ]'
pdftotext "$tmp/report.pdf" "$tmp/report.txt"
check 'grep -q "Programme report" "$tmp/report.txt"'
check 'grep -q "<5 = too small a count to show" "$tmp/report.txt"'
check 'grep -q "\* = hidden so that a small count cannot be worked out" "$tmp/report.txt"'
"$bin" report $D $P --format pdf 2>"$tmp/err"; check '[ $? -eq 2 ] && grep -q "needs --out" "$tmp/err"'

# No client code anywhere in the report.
"$bin" list $D $P >"$tmp/list" 2>/dev/null
awk 'NR > 3 {print $3}' "$tmp/list" | grep -xE '[2-9A-Z]{7}' | sort -u >"$tmp/codes"
check '[ "$(wc -l <"$tmp/codes")" -ge 20 ]'
check '! grep -F -f "$tmp/codes" "$tmp/report.csv" "$tmp/report.txt" "$tmp/m10.csv"'

# Only the programme key opens it: a wrong passphrase, the worker key instead.
echo wrong-passphrase >"$tmp/wrong"
"$bin" report $D --passphrase-file "$tmp/wrong" --format csv >"$tmp/out" 2>"$tmp/err"; check '[ $? -eq 1 ]'
check 'grep -q "wrong passphrase for the programme key" "$tmp/err" && [ ! -s "$tmp/out" ]'
check '[ "$(wc -l <"$tmp/err")" -eq 1 ]'
"$bin" report $D $P --key "$tmp/data/worker.key" --format csv >"$tmp/out" 2>"$tmp/err"; check '[ $? -eq 1 ]'
check 'grep -q "not a programme-key file" "$tmp/err" && [ ! -s "$tmp/out" ]'

# A referral recorded by the worker reaches the report.
rec=$("$bin" list $D $P --level red 2>/dev/null | awk 'NR > 2 && $NF ~ /-/ {print $NF; exit}')
"$bin" referral $D $P "$rec" --referred >/dev/null 2>&1; check '[ $? -eq 0 ]'
"$bin" report $D $P --format csv --min-cell 3 2>/dev/null >"$tmp/ref.csv"
check 'grep -q "^referral,total,referred,\(1\|<3\|\*\)," "$tmp/ref.csv"'

# Every report is in the audit log.
"$bin" audit list $D 2>/dev/null | grep -c "programme report" >"$tmp/n"
check '[ "$(cat "$tmp/n")" -ge 4 ]'

# A programme key for a real worker folder, and a kiosk made from it seals summaries.
"$bin" init --dir "$tmp/w" --recovery-out "$tmp/rec.json" --kdf interactive $P >/dev/null 2>&1
printf 'analyst passphrase\n' >"$tmp/ap"
"$bin" programme init --dir "$tmp/w" --key-out "$tmp/analyst.key" --passphrase-file "$tmp/ap" 2>/dev/null
check '[ $? -eq 0 ] && [ -f "$tmp/analyst.key" ] && [ ! -f "$tmp/w/programme.key" ]'
"$bin" init --mode kiosk --dir "$tmp/k" --keys-from "$tmp/w" >/dev/null 2>&1
check 'grep -q programme_public_key "$tmp/k/config.json"'
"$bin" demo --dir "$tmp/k" --count 12 >/dev/null 2>&1
"$bin" report --dir "$tmp/k" --key "$tmp/analyst.key" --passphrase-file "$tmp/ap" --format csv \
    >"$tmp/k.csv" 2>"$tmp/err"; check '[ $? -eq 0 ] && grep -q "Report of 12 programme summaries" "$tmp/err"'
"$bin" programme join --dir "$tmp/k" --from "$tmp/nowhere" >/dev/null 2>&1; check '[ $? -eq 1 ]'

check_end
