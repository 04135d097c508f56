#!/bin/sh
# Large generated questionnaires (made here, not stored): the validator's sums and its problem
# list must stay bounded. A sum score over 3,000 items of maximum 1,000,000 once printed a negative
# maximum (int overflow); 40,000 unknown keys once took 20 s to report, one line each.
# usage: large.sh ITSEARVIO
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0
head='"format": "itsearvio-questionnaire/1", "id": "big", "version": "1", "languages": ["en"],
 "title": {"en": "T"}, "intro": {"en": "I"}, "recall": {"en": "R"},
 "scales": [{"id": "n", "kind": "number", "min": 0, "max": 1000000}],'
item() { printf '{"id": "I%d", "scale": "n", "text": {"en": "t"}, "short": {"en": "s"}}' "$1"; }

expect() { # expect NAME FILE TEXT: check exits 1 and its output holds TEXT
  out=$("$bin" check "$2" 2>&1)
  rc=$?
  if [ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -qF -- "$3"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    printf '%s: exit %d, expected a line with: %s\ngot (first lines):\n' "$1" "$rc" "$3"
    printf '%s\n' "$out" | head -3
  fi
}

{ printf '{%s\n "items": [\n' "$head"
  i=0; while [ $i -lt 3000 ]; do [ $i -gt 0 ] && printf ',\n'; item $i; i=$((i + 1)); done
  printf '],\n "scores": [{"id": "total", "label": {"en": "T"}, "method": "sum", "items": "scored", "divisor": 1}]}\n'
} > "$dir/maxima.json"
expect maxima "$dir/maxima.json" "the item maxima add up to 3000000000, more than a divisor can be (1000000)"

{ printf '{%s\n "items": [' "$head"; item 0; printf '],\n'
  awk 'BEGIN { for (i = 0; i < 40000; i++) printf " \"k%d\": 1,\n", i }'
  printf ' "last": 1}\n'
} > "$dir/keys.json"
expect keys-first "$dir/keys.json" "keys.json:5:2: unknown key \"k0\""
expect keys-more "$dir/keys.json" "keys.json: …and 39901 more problems"
lines=$("$bin" check "$dir/keys.json" 2>&1 | wc -l)
if [ "$lines" -eq 101 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "keys: $lines lines, expected 101"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
