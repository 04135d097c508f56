#!/bin/sh
# The commands' labels in the reader's language (issue 16): `score --table` and `check` with
# the language set to Swedish ($LANG, then --lang over an English $LANG) print Swedish labels,
# Swedish decimal commas and level words, and none of the English labels; English still reads
# English. A score not computed says why in the reader's language (its reason code), not in the
# English sentence the result keeps for logs; so does a problem with an answers file.
# usage: lang.sh ITSEARVIO SOURCE_DIR
set -u
bin=$1 src=$2
q12=$src/questionnaires/whodas12-style.json
q36=$src/questionnaires/whodas36-style.json
a36="1 0 2 1 0 3 2 1 0 1 3 0 1 0 2 1 0 0 2 4 1 2 2 1 2 3 1 0 1 2 0 3 4 1 2 0"
a12="x 1 x 1 x 0 2 0 0 1 0 2"
. "$src/tests/cli/expect.sh"
unset LC_ALL LC_MESSAGES

sv() { LANG=sv_FI.UTF-8 "$@"; }
en() { LANG=en_GB.UTF-8 "$@"; }

expect score-sv-item-set 0 'frågeuppsättning 36' -- sv "$bin" score --questionnaire "$q36" --works yes --answers "$a36" --table
expect score-sv-level 0 'Nivå: röd' -- sv "$bin" score --questionnaire "$q36" --works yes --answers "$a36" --table
expect score-sv-flag-level 0 '[gul] Y2' -- sv "$bin" score --questionnaire "$q36" --works yes --answers "$a36" --table
expect score-sv-decimal 0 '40,57' -- sv "$bin" score --questionnaire "$q36" --works yes --answers "$a36" --table
expect score-sv-not-scored 0 'inte beräknat:' -- sv "$bin" score --questionnaire "$q12" --answers "$a12" --table
expect score-sv-reason 0 'inte beräknat: 3 svar saknas (S1, S3, S5); högst 2 får saknas' -- sv "$bin" score --questionnaire "$q12" --answers "$a12" --table
expect score-fi-reason 0 'ei laskettu: 3 vastausta puuttuu (S1, S3, S5); enintään 2 saa puuttua' -- env LANG=C.UTF-8 "$bin" score --questionnaire "$q12" --answers "$a12" --table
expect score-en-reason 0 'not scored: 3 answers missing (S1, S3, S5); at most 2 allowed' -- en "$bin" score --questionnaire "$q12" --answers "$a12" --table
expect score-sv-option 0 'Nivå: röd' -- en "$bin" score --lang sv --questionnaire "$q36" --works yes --answers "$a36" --table
for word in 'item set' 'Level:' 'level:' '[red]' '[yellow]' 'not scored' 'not_scored' 'imputed' '40.57' \
            'answers missing' 'allowed'; do
  lacks "score-sv-no-$word" "$word" -- sv "$bin" score --questionnaire "$q36" --works yes --answers "$a36" --table
  lacks "score-sv-option-no-$word" "$word" -- en "$bin" score --lang sv --questionnaire "$q36" --works yes --answers "$a36" --table
  lacks "score-sv-12-no-$word" "$word" -- sv "$bin" score --questionnaire "$q12" --answers "$a12" --table
done
expect score-en 0 'item set 36' -- en "$bin" score --questionnaire "$q36" --works yes --answers "$a36" --table

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '{"answers": {"S1": 2,}}' > "$tmp/malformed.json"
printf '{"answers": {"S1": 2, "S1": 3}}' > "$tmp/twice.json"
echo '{"questionnaire": "whodas36-style", "answers": {}}' > "$tmp/other.json"
echo '[1, 2]' > "$tmp/list.json"
expect score-sv-malformed 1 'malformed.json:1:22: felaktig JSON: ett kommatecken, citattecken eller en parentes saknas eller står fel' -- sv "$bin" score --questionnaire "$q12" "$tmp/malformed.json"
expect score-sv-twice 1 'twice.json:1:26: felaktig JSON: samma nyckel finns två gånger i samma objekt' -- sv "$bin" score --questionnaire "$q12" "$tmp/twice.json"
expect score-sv-other 1 'other.json: svaren gäller "whodas36-style", inte "whodas12-style"' -- sv "$bin" score --questionnaire "$q12" "$tmp/other.json"
expect score-sv-shape 1 'list.json: en svarsfil ska vara ett objekt med ett "answers"-objekt' -- sv "$bin" score --questionnaire "$q12" "$tmp/list.json"
expect score-fi-malformed 1 'malformed.json:1:22: virheellinen JSON: pilkku' -- env LANG=C.UTF-8 "$bin" score --questionnaire "$q12" "$tmp/malformed.json"
for word in 'malformed JSON' 'answers are for' 'an answers file' 'missing or out of place'; do
  for f in malformed other list; do
    lacks "score-sv-$f-no-$word" "$word" -- sv "$bin" score --questionnaire "$q12" "$tmp/$f.json"
  done
done

expect check-sv 0 'frågor, 9 resultat, 9 flaggregler)' -- sv "$bin" check "$q36"
expect check-sv-option 0 'flaggregler' -- en "$bin" check --lang sv "$q12" "$q36"
for word in 'items' 'scores' 'flag rules'; do
  lacks "check-sv-no-$word" "$word" -- sv "$bin" check "$q12" "$q36"
  lacks "check-sv-option-no-$word" "$word" -- en "$bin" check --lang sv "$q12" "$q36"
done
expect check-en 0 'items, 9 scores, 9 flag rules)' -- en "$bin" check "$q36"
expect check-fi 0 'kysymystä' -- env LANG=C.UTF-8 "$bin" check "$q36"
expect check-bad-option 2 'unknown option --nope' -- sv "$bin" check --nope "$q36"
# The machine-made Arabic (locale/ar.json, marked unreviewed) is never chosen: Finnish instead.
expect check-ar-unreviewed 0 'kysymystä' -- env LANG=ar_SA.UTF-8 "$bin" check "$q36"
expect score-ar-unreviewed 0 'Pistesumma' -- env LANG=ar_SA.UTF-8 "$bin" score --questionnaire "$q12" --answers "$a12" --table
# A questionnaire's unreviewed translation loads with a note; without any record it is refused.
qar=$src/tests/ui/fixtures/kiosk-ar.json
expect check-ar-note 0 'the ar translation is not reviewed (machine-made), so clients never see it.' -- en "$bin" check "$qar"
tmp=$(mktemp -d)
grep -v '"certification"' "$qar" >"$tmp/no-record.json"
expect check-ar-no-record 1 'The ar translation has no certification record' -- en "$bin" check "$tmp/no-record.json"
rm -rf "$tmp"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
