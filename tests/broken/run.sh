#!/bin/sh
# One broken questionnaire: `itsearvio check` must exit 1 and print the expected first message.
# usage: run.sh ITSEARVIO FILE.json   (run from tests/broken, where expected.txt lives)
set -u
bin=$1 file=$2
want=$(grep "^$file:" expected.txt | head -1)
[ -n "$want" ] || { echo "no expectation for $file in expected.txt"; echo "0 passed, 1 failed"; exit 1; }
got=$("$bin" check "$file" 2>&1 >/dev/null | head -1)
"$bin" check "$file" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 1 ]; then echo "0 passed, 1 failed: exit status $rc, expected 1"; exit 1; fi
if [ "$got" != "$want" ]; then
  printf 'expected: %s\ngot:      %s\n0 passed, 1 failed\n' "$want" "$got"
  exit 1
fi
echo "$got"
echo "1 passed, 0 failed"
