#!/bin/sh
# Reassessment due dates and the referral loop end to end (issue 13): `due` at the exact
# boundaries (the day before due, the due day, the last day of grace, the first overdue day),
# the list's DUE and REFERRAL columns, every referral state stored and shown, the no-decision
# filter, and the refusals. Usage: programme.sh ITSEARVIO (ITSEARVIO_DATA: the source folder).
set -u
bin=$1
export LC_ALL=C.UTF-8 # no language in the locale: the worker's texts in Finnish, as in a clinic
. "$(dirname "$0")/check.sh"
check_tmp prog

# A data folder (assets, locale, questionnaires) whose oma-tilanne sets a 180-day interval.
mkdir -p "$tmp/share/questionnaires"
ln -s "$ITSEARVIO_DATA/assets" "$tmp/share/assets"
ln -s "$ITSEARVIO_DATA/locale" "$tmp/share/locale"
cp "$ITSEARVIO_DATA"/questionnaires/*.json "$tmp/share/questionnaires/"
sed -i '0,/"version": /s//"reassess_days": 180,\n  "version": /' "$tmp/share/questionnaires/oma-tilanne.json"
export ITSEARVIO_DATA="$tmp/share"
"$bin" check "$tmp/share/questionnaires/oma-tilanne.json" >/dev/null; check '[ $? -eq 0 ]'

"$bin" init --demo --dir "$tmp/data" >/dev/null 2>&1
"$bin" demo --dir "$tmp/data" --count 60 --seed 3 >/dev/null 2>&1
W="--dir $tmp/data --passphrase-file $tmp/data/demo-passphrase.txt"
echo wrong-passphrase >"$tmp/wrong"

# Far in the future every newest oma-tilanne assessment is overdue; take one client's row.
"$bin" due $W --as-of 2099-01-01 --lang en >"$tmp/far"; check '[ $? -eq 0 ]'
check 'grep -q "^CLIENT " "$tmp/far" && ! grep -v "^CLIENT " "$tmp/far" | grep -qv " overdue$"'
check '! grep -q "whodas" "$tmp/far"' # no interval: never listed
row=$(sed -n 2p "$tmp/far")
client=$(echo "$row" | awk '{print $1}') last=$(echo "$row" | awk '{print $3}') due=$(echo "$row" | awk '{print $4}')
check '[ "$(date -u -d "$last + 180 days" +%F)" = "$due" ]'
state() { "$bin" due $W --lang en --as-of "$(date -u -d "$due $1 days" +%F)" | grep "^$client " |
          awk '{print $5, $6}' | sed 's/ $//'; }
check '[ -z "$(state -15)" ]'                  # before the 14-day window
check '[ "$(state -14)" = "due soon" ]'        # the window's first day
check '[ "$(state -1)" = "due soon" ]'         # the day before due
check '[ "$(state +0)" = "due" ]'              # the due day
check '[ "$(state +30)" = "due" ]'             # the last day of grace
check '[ "$(state +31)" = "overdue" ]'         # the first overdue day
# Overdue first: at the first overdue day of this client, its row comes before any due ones.
"$bin" due $W --lang en --as-of "$(date -u -d "$due +31 days" +%F)" | sed 1d >"$tmp/order"
check '! awk "{print \$NF}" "$tmp/order" | sed -n "/^due\$/,\$p" | grep -q overdue'
# The list shows the state beside the client's newest assessment only, in the worker's language.
"$bin" list $W --as-of "$(date -u -d "$due +31 days" +%F)" --client "$client" --questionnaire oma-tilanne >"$tmp/cl"
check '[ $(grep -c " myöhässä " "$tmp/cl") -eq 1 ]'
"$bin" due $W --as-of 2001-01-01 --lang en >"$tmp/none"; check 'grep -q "No client is due" "$tmp/none"'
"$bin" due $W --as-of 2025-13-01 >/dev/null 2>&1; check '[ $? -eq 2 ]'

# The referral loop on a flagged record with no decision yet.
"$bin" list $W --no-referral >"$tmp/nr"; check '[ $? -eq 0 ]'
check '! sed 1,3d "$tmp/nr" | grep -q " none "'
n0=$(sed 1,3d "$tmp/nr" | wc -l)
id=$(sed -n 4p "$tmp/nr" | awk '{print $NF}')
check 'grep "$id" "$tmp/nr" | grep -q "ei päätöstä"'
"$bin" referral $W "$id" --not-referred >/dev/null 2>&1; check '[ $? -eq 2 ]' # the reason is required
"$bin" referral $W "$id" --referred --outcome x >/dev/null 2>&1; check '[ $? -eq 2 ]'
"$bin" referral $W "$id" --referred >/dev/null; check '[ $? -eq 0 ]'
"$bin" show $W "$id" --lang en >"$tmp/s1"; check 'grep -q "^Referral: referred$" "$tmp/s1"'
"$bin" list $W --no-referral >"$tmp/nr2"
check '! grep -q "$id" "$tmp/nr2" && [ $(sed 1,3d "$tmp/nr2" | wc -l) -eq $((n0 - 1)) ]'
"$bin" list $W --lang sv | grep "$id" | grep -q " remitterad " && ok || bad "list shows referred"
"$bin" referral $W "$id" --not-referred --reason "Asiakas kieltäytyi lähetteestä." >/dev/null; check '[ $? -eq 0 ]'
"$bin" referral $W "$id" --outcome "Kuntoutusohjaus aloitettu." --date 2026-02-03 >/dev/null; check '[ $? -eq 0 ]'
"$bin" show $W "$id" --lang en >"$tmp/s2"
check 'grep -q "^Referral: not referred$" "$tmp/s2"'
check 'grep -q "  referred$" "$tmp/s2" && grep -q "not referred: Asiakas kieltäytyi lähetteestä.$" "$tmp/s2"'
check 'grep -q "outcome 2026-02-03: Kuntoutusohjaus aloitettu.$" "$tmp/s2"'
# The notes are sealed: the payload is not in the database file in clear.
check '! grep -rq "Kuntoutusohjaus" "$tmp/data"'

# Refusals: an unflagged record, a wrong passphrase (nothing stored either way).
plain=$("$bin" list $W --level none | sed -n 4p | awk '{print $NF}')
"$bin" referral $W "$plain" --referred >/dev/null 2>"$tmp/err"; rc=$?
check '[ $rc -eq 1 ] && grep -q "lähetepäätös kirjataan vain merkittyyn arvioon" "$tmp/err"'
id2=$(sed -n 5p "$tmp/nr" | awk '{print $NF}')
"$bin" referral --dir "$tmp/data" --passphrase-file "$tmp/wrong" "$id2" --referred >/dev/null 2>"$tmp/err"; rc=$?
check '[ $rc -eq 1 ] && grep -q "Väärä tunnuslause" "$tmp/err"'
"$bin" list $W --no-referral | grep -q "$id2" && ok || bad "wrong passphrase stored nothing"

check_end
