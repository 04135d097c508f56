# tests/bench/sections.sh — the measurements of run.sh, one function per part of the table.
# Sourced by run.sh after lib.sh; every function appends rows with `row` and keeps its raw output
# in $out. Uses: $build $src $out $peer $runs $idle_s $loops $big $qn12.

# kv KEY FILE — the value of the first KEY=value word in FILE.
kv() { grep -o "$1=[^ ]*" "$2" 2>/dev/null | head -1 | cut -d= -f2; }

have_kiosk() { "$build/itsearvio" kiosk --help 2>/dev/null | grep -q -- --bench-shot; }

kiosk_shot_cmd() {
  echo "$build/itsearvio kiosk --demo --questionnaire $qn12 --bench-shot $out/kiosk.png"
}
bare_cmd() { echo "$build/bench/bare_sdl --fonts $src/assets/fonts --shot $out/bare.png"; }

# ms STATS-LINE -> "median" and "min–max" as two words of text.
med() { fmt "$(echo "$1" | cut -d' ' -f1)" "${2:-1}"; }
spread() { echo "$(fmt "$(echo "$1" | cut -d' ' -f2)" "${2:-1}")–$(fmt "$(echo "$1" | cut -d' ' -f3)" "${2:-1}")"; }

section_startup() {
  section "Start-up, real X window (Xvfb), 1280×800, software renderer"
  echo "peer: headless Chromium, $runs runs + 3 sampled (about 30 s) ..."
  "$peer/web-peer.sh" "$runs" >"$out/peer.txt" 2>&1
  peer_ms=$(kv wall_ms "$out/peer.txt")
  peer_kib=$(kv peak_pss_kib "$out/peer.txt")
  [ -n "$peer_ms" ] || { peer_ms=nan; peer_kib=nan; echo "peer failed: $(cat "$out/peer.txt")"; }
  local b k
  b=$(hyperfine_ms "$runs" bare "$(bare_cmd)")
  bare_ms=$(echo "$b" | cut -d' ' -f1)
  if have_kiosk; then
    k=$(hyperfine_ms "$runs" kiosk "$(kiosk_shot_cmd)")
    kiosk_ms=$(echo "$k" | cut -d' ' -f1)
    row "start → question 3 → PNG → exit, wall (hyperfine -N, $runs runs)" "$(med "$k") ms" \
        "$(spread "$k") ms" "Chromium $(fmt "$peer_ms" 0) ms; bare SDL2 $(med "$b") ms ($(spread "$b"))" \
        "$(ratio "$peer_ms" "$kiosk_ms") faster than Chromium; $(ratio "$kiosk_ms" "$bare_ms") of bare SDL2"
  else
    kiosk_ms=nan
    row "start → question 3 → PNG → exit, wall (hyperfine -N, $runs runs)" "n/a (no kiosk yet)" "" \
        "Chromium $(fmt "$peer_ms" 0) ms; bare SDL2 $(med "$b") ms ($(spread "$b"))" \
        "bare SDL2 $(ratio "$peer_ms" "$bare_ms") faster than Chromium"
  fi
  startup_first_frames
}

# Launch → first presented frame, and → first question shown, from repeated launches.
startup_first_frames() {
  local f
  # shellcheck disable=SC2046
  launch_ms "$runs" bare $(bare_cmd) && f=$(stats <"$out/bare.frame")
  local bare_row="bare SDL2 $(med "$f") ms ($(spread "$f"))"
  have_kiosk || { row "launch → first frame" "n/a (no kiosk yet)" "" "$bare_row" ""; return; }
  # shellcheck disable=SC2046
  launch_ms "$runs" shot $(kiosk_shot_cmd) && f=$(stats <"$out/shot.frame")
  row "launch → first frame = question 3 (--bench-shot, $runs launches)" "$(med "$f") ms" \
      "$(spread "$f") ms" "$bare_row" "$(ratio "$(echo "$f" | cut -d' ' -f1)" \
      "$(stats <"$out/bare.frame" | cut -d' ' -f1)") of bare SDL2"
  printf 'tap "Aloita"\ntap "Seuraava"\ntap "Ei, jatkan ilman koodia"\ntap "Aloita kysely"\nquit\n' \
    >"$out/to-question.script"
  launch_ms "$runs" flow "$build/itsearvio" kiosk --demo --questionnaire "$qn12" --size 1280x800 \
    --script "$out/to-question.script" || return
  f=$(stats <"$out/flow.frame")
  row "launch → first frame (start screen, $runs launches)" "$(med "$f") ms" "$(spread "$f") ms" "" ""
  f=$(stats <"$out/flow.question")
  row "launch → first question shown (4 scripted taps: start, info, no code, intro)" "$(med "$f") ms" \
      "$(spread "$f") ms" "" ""
}

# A complete 12-item assessment, scripted, $1 times in a row: start to thank-you and back.
assessment_script() {
  local i k
  for i in $(seq "$1"); do
    printf 'tap "Aloita"\ntap "Seuraava"\ntap "Ei, jatkan ilman koodia"\ntap "Aloita kysely"\n'
    for k in $(seq 12); do
      printf 'tap "%s"\ntap "Seuraava"\n' "$([ $((k % 2)) = 1 ] && echo "Vähän vaikeuksia" || echo "Ei vaikeuksia")"
    done
    printf 'expect "Lähetä vastaukset"\ntap "Lähetä vastaukset"\nexpect "Kiitos vastauksistasi!"\n'
    printf 'tap "Valmis"\n'
  done
  echo quit
}

section_memory() {
  section "Peak memory: PSS summed over the process tree (peak-pss.sh, median of 3 sampled runs)"
  local b k
  # shellcheck disable=SC2046
  b=$(pss_kib 3 $(bare_cmd) | stats | cut -d' ' -f1)
  bare_kib=$b
  if ! have_kiosk; then
    row "start → question 3 → PNG → exit" "n/a (no kiosk yet)" "" \
        "Chromium $(fmt "$peer_kib" 0) KiB; bare SDL2 $(fmt "$b" 0) KiB" \
        "bare SDL2 $(ratio "$peer_kib" "$b") smaller than Chromium"
    return
  fi
  # shellcheck disable=SC2046
  pss_kib 3 $(kiosk_shot_cmd) >"$out/shot.pss"
  k=$(stats <"$out/shot.pss")
  row "start → question 3 → PNG → exit" "$(med "$k" 0) KiB" "$(spread "$k" 0) KiB" \
      "Chromium $(fmt "$peer_kib" 0) KiB; bare SDL2 $(fmt "$b" 0) KiB" \
      "$(ratio "$peer_kib" "$(echo "$k" | cut -d' ' -f1)") smaller than Chromium; \
$(ratio "$(echo "$k" | cut -d' ' -f1)" "$b") of bare SDL2"
  assessment_script 1 >"$out/assessment.script"
  pss_kib 3 "$build/itsearvio" kiosk --demo --questionnaire "$qn12" --size 1280x800 \
    --script "$out/assessment.script" >"$out/assessment.pss"
  k=$(stats <"$out/assessment.pss")
  row "full 12-item assessment, start to thank-you (scripted)" "$(med "$k" 0) KiB" "$(spread "$k" 0) KiB" \
      "Chromium showing one screen: $(fmt "$peer_kib" 0) KiB" "$(ratio "$peer_kib" "$(echo "$k" | cut -d' ' -f1)")"
}

# proc_cpu PID -> "utime+stime(ticks) voluntary nonvoluntary schedstat_ns"
proc_cpu() {
  local t v n s
  t=$(awk '{print $14 + $15}' "/proc/$1/stat")
  v=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$1/status")
  n=$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "/proc/$1/status")
  s=$(awk '{print $1}' "/proc/$1/schedstat" 2>/dev/null)
  echo "$t $v $n ${s:-0}"
}

section_idle() {
  section "Idle on the question screen for $idle_s s (Xvfb, real event loop, no input)"
  have_kiosk || { row "CPU time and wake-ups" "n/a (no kiosk yet)" "" "" ""; return; }
  ITS_BENCH=1 "$build/itsearvio" kiosk --demo --questionnaire "$qn12" --size 1280x800 --bench-question 3 \
    --idle 3600 >/dev/null 2>"$out/idle.err" &
  local pid=$! i
  for i in $(seq 100); do grep -q first_frame "$out/idle.err" && break; sleep 0.05; done
  sleep 1
  local before after hz
  before=$(proc_cpu "$pid")
  sleep "$idle_s"
  after=$(proc_cpu "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null
  hz=$(getconf CLK_TCK)
  read -r t0 v0 n0 s0 <<<"$before"
  read -r t1 v1 n1 s1 <<<"$after"
  row "CPU time (utime+stime; schedstat)" "$(( (t1 - t0) * 1000 / hz )) ms" \
      "$(fmt "$(( s1 - s0 ))e-6" 3) ms on-CPU (schedstat)" "target ≈ 0" ""
  row "wake-ups (voluntary + nonvoluntary context switches)" "$(( v1 - v0 + n1 - n0 ))" \
      "$(( v1 - v0 )) voluntary, $(( n1 - n0 )) nonvoluntary" "target ≈ 0, no periodic redraw" ""
}

section_taps() {
  section "Tap → next frame presented (scripted taps through the SDL event queue, software renderer)"
  have_kiosk || { row "tap → frame" "n/a (no kiosk yet)" "" "" ""; return; }
  assessment_script "$loops" >"$out/taps.script"
  local size r med99
  for size in 1280x800 1920x1080; do
    : >"$out/taps-$size.txt"
    for r in 1 2 3; do
      ITS_BENCH=1 "$build/itsearvio" kiosk --demo --questionnaire "$qn12" --size "$size" \
        --script "$out/taps.script" >/dev/null 2>>"$out/taps-$size.txt"
    done
    med99=$(grep -o 'tap_to_frame_median_us=[0-9]*' "$out/taps-$size.txt" | cut -d= -f2 | stats)
    local p99 n
    p99=$(grep -o 'tap_to_frame_p99_us=[0-9]*' "$out/taps-$size.txt" | cut -d= -f2 | stats)
    n=$(kv taps "$out/taps-$size.txt")
    row "$size: median (3 runs of $n taps, full assessments)" \
        "$(fmt "$(echo "$med99" | cut -d' ' -f1)e-3" 2) ms" "$(spread "$med99" 0) µs over runs" "" ""
    row "$size: p99" "$(fmt "$(echo "$p99" | cut -d' ' -f1)e-3" 2) ms" "$(spread "$p99" 0) µs over runs" \
        "target < 16 ms" ""
  done
}

have_worker_bench() { [ -x "$build/bench/bench_worker" ]; }

# worker_bench N ARGS... — bench_worker on a cached folder of N records (kept in $build/bench-data).
worker_bench() {
  local n=$1
  shift
  mkdir -p "$build/bench-data"
  "$build/bench/bench_worker" --dir "$build/bench-data" --records "$n" "$@" >"$out/worker-$n.txt" 2>&1 ||
    { echo "bench_worker failed: $(tail -1 "$out/worker-$n.txt")" >&2; return 1; }
}

section_store() {
  section "Saving a completed assessment, fsync on (synchronous=FULL, ext4 on the build disk)"
  if have_worker_bench && worker_bench 10000 --samples 500 --repeat 5 --export; then
    local f=$out/worker-10000.txt
    row "12/36-item result: result_build + JSON + seal + commit (bench_worker, 500 saves)" \
        "$(kv save_median_ms "$f") ms" "p99 $(kv save_p99_ms "$f") ms, max $(kv save_max_ms "$f") ms" "" ""
  fi
  "$build/its_store_bench" --records 10000 --samples 500 --dir "$out/tmp" >"$out/store.txt" 2>&1 ||
    { row "its_store_bench" "failed" "$(tail -1 "$out/store.txt")" "" ""; return; }
  local line
  line=$(grep '^save' "$out/store.txt")
  row "1.7 KB payload: seal + commit (its_store_bench, 500 saves)" \
      "$(echo "$line" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p') ms" \
      "p99 $(echo "$line" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p') ms, max \
$(echo "$line" | sed -n 's/.*max \([0-9.]*\) ms.*/\1/p') ms" "" ""
}

section_worker() {
  section "Worker: unlock-to-list (Argon2id INTERACTIVE, then decrypt every record into the index)"
  if have_worker_bench; then
    worker_rows 10000
    worker_bench "$big" --samples 0 --repeat 3 && worker_rows "$big"
    worker_export_rows
  else
    store_worker_rows
  fi
}

# Rows of one bench_worker run: unlock-to-list median and spread, and its parts.
worker_rows() {
  local f=$out/worker-$1.txt a
  [ -s "$f" ] || return
  a=$(grep '^records=' "$f" | grep -o 'argon2id_ms=[0-9.]*' | cut -d= -f2 | stats)
  row "$(fmt "$1" 0) records: unlock-to-list ($(kv repeat "$f") opens)" \
      "$(fmt "$(kv unlock_to_list_median_ms "$f")" 0) ms" \
      "$(fmt "$(kv min_ms "$f")" 0)–$(fmt "$(kv max_ms "$f")" 0) ms" \
      "$([ "$1" = 10000 ] && echo "target < 1 000 ms")" ""
  row "$(fmt "$1" 0) records: of which Argon2id" "$(med "$a" 0) ms" "$(spread "$a" 0) ms" "" ""
  a=$(grep '^records=' "$f" | grep -o 'index_ms=[0-9.]*' | cut -d= -f2 | stats)
  row "$(fmt "$1" 0) records: of which decrypt + index (2 threads)" "$(med "$a" 0) ms" "$(spread "$a" 0) ms" \
      "$(fmt "$(echo "$a" | cut -d' ' -f1)e3" 1 "$1") µs per record" ""
  a=$(grep '^records=' "$f" | grep -o 'list_ms=[0-9.]*' | cut -d= -f2 | stats)
  row "$(fmt "$1" 0) records: of which worker_list (flagged first)" "$(med "$a" 2) ms" "$(spread "$a" 2) ms" "" ""
}

worker_export_rows() {
  local f=$out/worker-10000.txt fmt_name line
  for fmt_name in csv fhir; do
    line=$(grep "^export=$fmt_name " "$f") || continue
    row "export 10 000 records to ${fmt_name^^} (temp file, fsync, rename)" \
        "$(fmt "$(kv export_ms <(echo "$line"))" 0) ms" "1 run" \
        "$(fmt "$(kv bytes <(echo "$line"))e-6" 1) MB" ""
  done
}

# Until the worker's data layer is on main: the store API's unlock + decrypt of every record.
store_worker_rows() {
  local n f
  for n in 10000 "$big"; do
    f=$out/store-$n.txt
    [ "$n" = 10000 ] && f=$out/store.txt ||
      "$build/its_store_bench" --records "$n" --samples 100 --dir "$out/tmp" >"$f" 2>&1
    row "$n records: unlock, Argon2id alone" "$(sed -n 's/^unlock.*) \([0-9]*\) ms/\1/p' "$f") ms" "" "" ""
    row "$n records: list + decrypt every record (store API, 1 thread)" \
        "$(sed -n 's/^list + decrypt.*: \([0-9]*\) ms.*/\1/p' "$f") ms" \
        "$(sed -n 's/.*(\([0-9.]* us per record\)).*/\1/p' "$f")" "" ""
    row "$n records: open + unlock + decrypt all" "$(sed -n 's/^open + unlock.*: \([0-9]*\) ms/\1/p' "$f") ms" \
        "" "target (10,000) < 1 s" ""
  done
}

section_scoring() {
  section "Scoring throughput (one core, random answers with a fixed seed)"
  "$build/bench/bench_scoring" >"$out/scoring.txt" 2>&1 || { row "bench_scoring" "failed" "" "" ""; return; }
  local kind line
  for kind in score_all result_build+json; do
    line=$(grep "kind=$kind " "$out/scoring.txt")
    row "$kind, $(kv questionnaire <(echo "$line")) ($(kv items <(echo "$line")) items)" \
        "$(fmt "$(kv per_s_median <(echo "$line"))" 0) /s" \
        "$(fmt "$(kv per_s_min <(echo "$line"))" 0)–$(fmt "$(kv per_s_max <(echo "$line"))" 0) /s \
over $(kv rounds <(echo "$line")) rounds" "" ""
  done
}
