#!/bin/sh
# The structure checks itself (ctest `layers`):
# 1. every `#include "…"` from one app/ folder of a header in another app/ folder is an edge, and
#    must be listed in the fenced block under "Allowed include edges" in README.md (one
#    `from -> to` per line, `#` starts a comment); an app/ folder the block does not name fails;
# 2. with a build folder given, every ctest test has at least one label (README.md, "Tests").
# Usage: check-layers.sh SOURCE_DIR [BUILD_DIR]
src=${1:?usage: check-layers.sh SOURCE_DIR [BUILD_DIR]}
build=$2
readme="$src/README.md"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

# The allowed edges: the first fenced block after the line naming it.
awk '/Allowed include edges/ { seen = 1; next }
     seen && /^```/ { if (inside) exit; inside = 1; next }
     inside { sub(/#.*/, ""); if (NF) print }' "$readme" >"$tmp/block"
if [ ! -s "$tmp/block" ]; then
  echo "$readme: no fenced block under \"Allowed include edges\"" >&2
  exit 1
fi
# Each line is `from -> to` or a lone folder name (a folder that includes no other).
if ! awk '!(NF == 3 && $2 == "->") && NF != 1 { bad = 1; print "README.md: cannot read edge line: " $0 }
          END { exit bad }' "$tmp/block" >&2; then
  exit 1
fi
awk 'NF == 3 { print $1 " -> " $3 }' "$tmp/block" | sort -u >"$tmp/allowed"
awk '{ print $1 } NF == 3 { print $3 }' "$tmp/block" | sort -u >"$tmp/known"

# Every app/ folder must be named in the block.
for dir in "$src"/app/*/; do
  name=$(basename "$dir")
  if ! grep -qx "$name" "$tmp/known"; then
    echo "app/$name: folder not named in README.md \"Allowed include edges\"; add its edges there" >&2
    fail=1
  fi
done

# Which folder owns each header (a header name must be unique across app/).
for h in "$src"/app/*/*.h; do
  echo "$(basename "$h") $(basename "$(dirname "$h")")"
done | sort >"$tmp/owners"
dups=$(awk '{ print $1 }' "$tmp/owners" | uniq -d)
if [ -n "$dups" ]; then
  echo "header names found in two app/ folders (an include could mean either): $dups" >&2
  fail=1
fi

# The edges in the code, each with the file and line it comes from.
for f in "$src"/app/*/*.c "$src"/app/*/*.h; do
  from=$(basename "$(dirname "$f")")
  grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
    sed 's/^\([0-9]*\):.*"\(.*\)".*/\1 \2/' |
    while read -r line header; do
      to=$(awk -v h="${header##*/}" '$1 == h { print $2; exit }' "$tmp/owners")
      [ -n "$to" ] && [ "$to" != "$from" ] && echo "$from -> $to|app/$from/$(basename "$f"):$line: includes $header"
    done
done >"$tmp/edges"

while IFS='|' read -r edge where; do
  if ! grep -qxF "$edge" "$tmp/allowed"; then
    echo "$where (app/${edge##* }): edge $edge is not in README.md \"Allowed include edges\"" >&2
    fail=1
  fi
done <"$tmp/edges"

# Allowed edges no code uses any more are only reported: the list may run ahead of a merge.
cut -d'|' -f1 "$tmp/edges" | sort -u >"$tmp/used"
comm -23 "$tmp/allowed" "$tmp/used" | while read -r edge; do echo "note: allowed edge $edge is not used"; done

# Every test carries a label (`ctest -LE .` lists exactly the tests without one).
if [ -n "$build" ]; then
  unlabelled=$(ctest --test-dir "$build" -N -LE . | sed -n 's/^ *Test *#[0-9]*: *//p')
  if [ -n "$unlabelled" ]; then
    echo "tests without a ctest label (set LABELS in tests/…/CMakeLists.txt):" $unlabelled >&2
    fail=1
  fi
fi

[ $fail = 0 ] && echo "layers: $(sort -u "$tmp/used" | wc -l) edges between $(wc -l <"$tmp/known") folders, all allowed"
exit $fail
