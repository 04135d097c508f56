#!/bin/sh
# Soak: N complete assessments (default 2,000) in ONE `itsearvio kiosk --script` process, headless
# (SDL dummy driver), the 12-item questionnaire answered by keys and taps, each sent and sealed.
# Memory (RSS, PSS from /proc/PID/smaps_rollup) and open file descriptors are printed as the
# results come in, first (after 20) and last. The run fails if a result is missing or the open
# files grow. Memory: the screen keeps up to 512 rendered texts (ui_draw.c) and every pickup code
# on the thank-you screen is a new text, so PSS climbs until that cache is full (about 350
# assessments here) and must then stay flat: from 500 assessments on it may not grow by more than
# 10 % + 2 MB (checked when N >= 1000).
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
    print "tap \"Ei, en anna lupaa\""; print "tap \"Ei, jatkan ilman koodia\""; print "tap \"Aloita kysely\""
    # digits pick answers in words by their place: value v of a difficulty scale is key v + 1
    for (i = 0; i < 11; i++) { print "key " ((a + i) % 5 + 1); print "key Return" }
    print "key 2"; print "key Return"
    for (i = 0; i < 3; i++) {
      d[i] = (a * 7 + i) % 10; print "key " d[i]; print "key Return"
      if (i == 1 && d[1] > d[0]) print "key Return"  # H2 > H1: told gently, Return goes on
    }
    print "expect \"Tarkista vastauksesi\""; print "seek \"Lähetä vastaukset\""; print "tap \"Lähetä vastaukset\""
    print "expect \"Kiitos vastauksistasi!\""; print "tap \"Valmis\""
  }
  print "expect \"Tervetuloa\""; print "hold"
}' > "$tmp/script.txt"

SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$bin" kiosk --dir "$tmp/k" --windowed --size 1280x800 \
  --script "$tmp/script.txt" --questionnaire "$src/questionnaires/whodas12-style.json" \
  >/dev/null 2>"$tmp/err" &
pid=$!
count() { sqlite3 "file:$tmp/k/store.db?mode=ro" "SELECT count(*) FROM records" 2>/dev/null || echo 0; }
sample_once() { # prints "RSS_kB PSS_kB FDS"
  awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { printf "%d %d ", r, p }' "/proc/$pid/smaps_rollup"
  ls "/proc/$pid/fd" | wc -l
}
# A sample taken as a result is committed can catch a file the kiosk holds open for a moment (the
# draft key being shredded, a checkpoint): the open-file count is the lowest of three samples
# half a second apart, so only descriptors that stay open count.
sample() {
  best=
  for _ in 1 2 3; do
    cur=$(sample_once)
    set -- $cur
    if [ -z "$best" ] || [ "$3" -lt "$best_fd" ]; then best=$cur best_fd=$3; fi
    sleep 0.5
  done
  echo "$best"
}
start=$(date +%s)
printf '%12s %10s %10s %6s %8s\n' assessments "RSS kB" "PSS kB" fds seconds
first= warm= last= next=20 got=0
while kill -0 "$pid" 2>/dev/null; do
  got=$(count)
  if [ "$got" -ge "$next" ] || [ "$got" -ge "$n" ]; then
    s=$(sample)
    printf '%12d %10s %10s %6s %8d\n' "$got" $s $(( $(date +%s) - start ))
    [ -z "$first" ] && first=$s
    [ -z "$warm" ] && [ "$got" -ge 500 ] && warm="$got $s"
    last=$s
    [ "$got" -ge "$n" ] && break
    next=$(( next < 100 ? 100 : next < 500 ? next + 100 : next + 250 ))
    [ "$next" -gt "$n" ] && next=$n
  fi
  sleep 1
done
if [ "$got" -lt "$n" ]; then
  echo "the kiosk stopped after $got of $n assessments:"; cat "$tmp/err"; echo "0 passed, 1 failed"; exit 1
fi
kill "$pid"; wait "$pid" 2>/dev/null; pid=
set -- $first; f_rss=$1 f_pss=$2 f_fd=$3
set -- $last; l_rss=$1 l_pss=$2 l_fd=$3
echo "first (after 20): RSS $f_rss kB, PSS $f_pss kB, $f_fd open files"
echo "last (after $got): RSS $l_rss kB, PSS $l_pss kB, $l_fd open files"
fail=0
[ "$l_fd" -le "$f_fd" ] || { echo "open files grew"; fail=1; }
if [ -n "$warm" ] && [ "$n" -ge 1000 ]; then
  set -- $warm; w_n=$1 w_pss=$3
  echo "PSS from $w_n to $got assessments (text cache full): $w_pss -> $l_pss kB ($(( (l_pss - w_pss) * 100 / w_pss )) %)"
  [ "$l_pss" -le $(( w_pss + w_pss / 10 + 2048 )) ] || { echo "memory grew beyond 10 % + 2 MB"; fail=1; }
fi
echo "$((1 - fail)) passed, $fail failed"
exit $fail
