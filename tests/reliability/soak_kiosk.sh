#!/bin/sh
# Soak: N complete assessments (default 2,000) in ONE `itsearvio kiosk --script` process, headless
# (SDL dummy driver), the 12-item questionnaire answered by keys and taps, each sent and sealed.
# Memory (RSS, PSS from /proc/PID/smaps_rollup) and open file descriptors are printed as the
# results come in, first and last; the run fails if a result is missing, the open files grow, or
# PSS grows by more than 10 % + 2 MB after the first 20 assessments (warm-up: caches fill).
# usage: soak_kiosk.sh ITSEARVIO SOURCE_DIR [N]   (not in CI: tests/reliability/run.sh)
set -u
bin=$1 src=$2 n=${3:-2000}
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: run sh tools/install-deps.sh"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/its-soak-XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$bin" init --demo --dir "$tmp/k" >/dev/null 2>&1 || { echo "init failed"; exit 1; }

# One assessment: START -> INFO -> IDENT (anonymous) -> INTRO -> 15 questions -> REVIEW -> send
# -> THANKS -> "Valmis" -> START. Answers vary with the assessment number.
awk -v n="$n" 'BEGIN {
  for (a = 0; a < n; a++) {
    print "expect \"Tervetuloa\""; print "tap \"Aloita\""; print "tap \"Seuraava\""
    print "tap \"Ei, jatkan ilman koodia\""; print "tap \"Aloita kysely\""
    for (i = 0; i < 11; i++) { print "key " ((a + i) % 5); print "key Return" }
    print "key 1"; print "key Return"
    for (i = 0; i < 3; i++) { print "key " ((a * 7 + i) % 10); print "key Return" }
    print "expect \"Tarkista vastauksesi\""; print "tap \"Lähetä vastaukset\""
    print "expect \"Kiitos vastauksistasi!\""; print "tap \"Valmis\""
  }
  print "expect \"Tervetuloa\""; print "hold"
}' > "$tmp/script.txt"

SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$bin" kiosk --dir "$tmp/k" --windowed --size 1280x800 \
  --script "$tmp/script.txt" --questionnaire "$src/questionnaires/whodas12-style.json" \
  >/dev/null 2>"$tmp/err" &
pid=$!
count() { sqlite3 "file:$tmp/k/store.db?mode=ro" "SELECT count(*) FROM records" 2>/dev/null || echo 0; }
sample() { # prints "RSS_kB PSS_kB FDS"
  awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { printf "%d %d ", r, p }' "/proc/$pid/smaps_rollup"
  ls "/proc/$pid/fd" | wc -l
}
start=$(date +%s)
printf '%12s %10s %10s %6s %8s\n' assessments "RSS kB" "PSS kB" fds seconds
first= last= next=20 got=0
while kill -0 "$pid" 2>/dev/null; do
  got=$(count)
  if [ "$got" -ge "$next" ] || [ "$got" -ge "$n" ]; then
    s=$(sample)
    printf '%12d %10s %10s %6s %8d\n' "$got" $s $(( $(date +%s) - start ))
    [ -z "$first" ] && first=$s
    last=$s
    [ "$got" -ge "$n" ] && break
    next=$(( next < 100 ? 100 : next + 250 ))
  fi
  sleep 1
done
if [ "$got" -lt "$n" ]; then
  echo "the kiosk stopped after $got of $n assessments:"; cat "$tmp/err"; echo "0 passed, 1 failed"; exit 1
fi
kill "$pid"; wait "$pid" 2>/dev/null; pid=
set -- $first; f_pss=$2 f_fd=$3
set -- $last; l_pss=$2 l_fd=$3
echo "first (after 20): PSS $f_pss kB, $f_fd fds; last (after $got): PSS $l_pss kB, $l_fd fds"
fail=0
[ "$l_fd" -le "$f_fd" ] || { echo "open files grew"; fail=1; }
[ "$l_pss" -le $(( f_pss + f_pss / 10 + 2048 )) ] || { echo "memory grew beyond 10 % + 2 MB"; fail=1; }
echo "$((1 - fail)) passed, $fail failed"
exit $fail
