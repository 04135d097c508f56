# tests/bench/sections.sh — the measurements of run.sh, one function per part of the table.
# Sourced by run.sh after lib.sh; every function appends rows with `row` and keeps its raw output
# in $out. Uses: $build $src $out $peer $runs $idle_s $loops $big $qn12.

# kv KEY FILE — the value of the first KEY=value word in FILE.
kv() { grep -o "$1=[^ ]*" "$2" 2>/dev/null | head -1 | cut -d= -f2; }

have_kiosk() { "$build/itsearvio" kiosk --help 2>/dev/null | grep -q -- --bench-shot; }

# Every kiosk run starts from the same ./demo-data in $out/kiosk: a copy of one made once (keys,
# Argon2id) by a run that stops on the start screen, so no run sees a draft another one left.
kiosk_prepare() {
  mkdir -p "$out/kiosk" "$out/demo-template" && cd "$out/kiosk" || return 1
  have_kiosk || return 0
  echo quit >"$out/quit.script"
  (cd "$out/demo-template" && "$build/itsearvio" kiosk --demo --size 1280x800 --script "$out/quit.script") \
    >"$out/kiosk-first-run.txt" 2>&1 || echo "the kiosk failed: $(tail -1 "$out/kiosk-first-run.txt")"
}

fresh_demo() { rm -rf "$out/kiosk/demo-data" && cp -a "$out/demo-template/demo-data" "$out/kiosk/"; }

kiosk_shot_cmd() {
  echo "$build/itsearvio kiosk --bench-shot $out/kiosk.png"
}
bare_cmd() { echo "$build/bench/bare_sdl --fonts $src/assets/fonts --shot $out/bare.png"; }

# ms STATS-LINE -> "median" and "min–max" as two words of text.
med() { fmt "$(echo "$1" | cut -d' ' -f1)" "${2:-1}"; }
spread() { echo "$(fmt "$(echo "$1" | cut -d' ' -f2)" "${2:-1}")–$(fmt "$(echo "$1" | cut -d' ' -f3)" "${2:-1}")"; }

section_startup() {
  kiosk_prepare
  section "Start-up, real X window (Xvfb), 1280×800, software renderer"
  echo "peer: headless Chromium, $runs runs + 3 sampled (about 30 s) ..."
  "$peer/web-peer.sh" "$runs" >"$out/peer.txt" 2>&1
  peer_ms=$(kv wall_ms "$out/peer.txt")
  peer_kib=$(kv peak_pss_kib "$out/peer.txt")
  [ -n "$peer_ms" ] || { peer_ms=nan; peer_kib=nan; echo "peer failed: $(cat "$out/peer.txt")"; }
  local b k fast=$(( runs < 20 ? 20 : runs ))
  local what="start → question 3 → PNG → exit, wall (hyperfine -N, $fast runs; Chromium $runs)"
  if ! have_kiosk; then
    b=$(hyperfine_ms "$fast" bare "$(bare_cmd)")
    row "$what" "n/a (no kiosk yet)" "" "Chromium $(fmt "$peer_ms" 0) ms; bare SDL2 $(med "$b") ms" \
        "bare SDL2 $(ratio "$peer_ms" "$(echo "$b" | cut -d' ' -f1)") faster than Chromium"
    startup_first_frames
    return
  fi
  hyperfine_alternating "$fast" kiosk "$(kiosk_shot_cmd)" \
    "sh -c 'rm -rf $out/kiosk/demo-data && cp -a $out/demo-template/demo-data $out/kiosk/'" \
    bare "$(bare_cmd)" ""
  k=$(cat "$out/kiosk.pooled")
  b=$(cat "$out/bare.pooled")
  kiosk_ms=$(echo "$k" | cut -d' ' -f1)
  bare_ms=$(echo "$b" | cut -d' ' -f1)
  row "$what" "$(med "$k") ms" "$(spread "$k") ms; CPU $(fmt "$(echo "$k" | cut -d' ' -f4)" 1) ms" \
      "Chromium $(fmt "$peer_ms" 0) ms; bare SDL2 $(med "$b") ms ($(spread "$b"); CPU \
$(fmt "$(echo "$b" | cut -d' ' -f4)" 1) ms)" \
      "$(ratio "$peer_ms" "$kiosk_ms") faster than Chromium; $(ratio "$kiosk_ms" "$bare_ms") of bare SDL2 \
(CPU $(ratio "$(echo "$k" | cut -d' ' -f4)" "$(echo "$b" | cut -d' ' -f4)"))"
  startup_first_frames
}

# Launch → first presented frame, and → first question shown, from repeated launches; the kiosk
# and the bare program in turns.
startup_first_frames() {
  local f i
  : >"$out/bare.frame"; : >"$out/shot.frame"; : >"$out/shot.question"
  for i in $(seq "$runs"); do
    # shellcheck disable=SC2046
    launch_append=1 launch_ms 1 bare $(bare_cmd)
    # shellcheck disable=SC2046
    have_kiosk && launch_append=1 before_run=fresh_demo launch_ms 1 shot $(kiosk_shot_cmd)
  done
  f=$(stats <"$out/bare.frame")
  local bare_row="bare SDL2 $(med "$f") ms ($(spread "$f"))"
  have_kiosk || { row "launch → first frame" "n/a (no kiosk yet)" "" "$bare_row" ""; return; }
  f=$(stats <"$out/shot.frame")
  row "launch → first frame = question 3 (--bench-shot, $runs launches)" "$(med "$f") ms" \
      "$(spread "$f") ms" "$bare_row" "$(ratio "$(echo "$f" | cut -d' ' -f1)" \
      "$(stats <"$out/bare.frame" | cut -d' ' -f1)") of bare SDL2"
  printf 'tap "Aloita"\ntap "Seuraava"\ntap "Ei, en anna lupaa"\ntap "Ei, jatkan ilman koodia"\ntap "Aloita kysely"\nquit\n' \
    >"$out/to-question.script"
  before_run=fresh_demo launch_ms "$runs" flow "$build/itsearvio" kiosk --demo --questionnaire "$qn12" --size 1280x800 \
    --script "$out/to-question.script" || return
  f=$(stats <"$out/flow.frame")
  row "launch → first frame (start screen, $runs launches)" "$(med "$f") ms" "$(spread "$f") ms" "" ""
  f=$(stats <"$out/flow.question")
  row "launch → first question shown (4 scripted taps: start, info, no code, intro)" "$(med "$f") ms" \
      "$(spread "$f") ms" "" ""
}

# A complete 12-item assessment, scripted, $1 times in a row: start to thank-you and back. The
# 12 difficulty questions are followed by three day counts (0-30), answered on the number keys.
assessment_script() {
  local i k
  for i in $(seq "$1"); do
    printf 'tap "Aloita"\ntap "Seuraava"\ntap "Ei, en anna lupaa"\ntap "Ei, jatkan ilman koodia"\ntap "Aloita kysely"\n'
    for k in $(seq 12); do
      printf 'tap "%s"\ntap "Seuraava"\n' "$([ $((k % 2)) = 1 ] && echo "Vähän vaikeuksia" || echo "Ei vaikeuksia")"
    done
    printf 'tap "2"\ntap "Seuraava"\ntap "1"\ntap "Seuraava"\ntap "0"\ntap "Seuraava"\n'
    printf 'seek "Lähetä vastaukset"\ntap "Lähetä vastaukset"\nexpect "Kiitos vastauksistasi!"\n'
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
  before_run=fresh_demo pss_kib 3 $(kiosk_shot_cmd) >"$out/shot.pss"
  k=$(stats <"$out/shot.pss")
  row "start → question 3 → PNG → exit" "$(med "$k" 0) KiB" "$(spread "$k" 0) KiB" \
      "Chromium $(fmt "$peer_kib" 0) KiB; bare SDL2 $(fmt "$b" 0) KiB" \
      "$(ratio "$peer_kib" "$(echo "$k" | cut -d' ' -f1)") smaller than Chromium; \
$(ratio "$(echo "$k" | cut -d' ' -f1)" "$b") of bare SDL2"
  assessment_script 1 >"$out/assessment.script"
  before_run=fresh_demo pss_kib 3 "$build/itsearvio" kiosk --demo --questionnaire "$qn12" --size 1280x800 \
    --script "$out/assessment.script" >"$out/assessment.pss"
  k=$(stats <"$out/assessment.pss")
  row "full 12-item assessment, start to thank-you (scripted)" "$(med "$k" 0) KiB" "$(spread "$k" 0) KiB" \
      "Chromium showing one screen: $(fmt "$peer_kib" 0) KiB" "$(ratio "$peer_kib" "$(echo "$k" | cut -d' ' -f1)")"
}

# proc_cpu PID -> "utime+stime(ticks) voluntary nonvoluntary on-cpu-ns", over every thread.
proc_cpu() {
  local t
  t=$(awk '{print $14 + $15}' "/proc/$1/stat")
  echo "$t $(cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ {v += $2}
    /^nonvoluntary_ctxt_switches/ {n += $2} END {print v + 0, n + 0}') \
$(cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {print s + 0}')"
}

section_idle() {
  section "Idle on the question screen for $idle_s s (Xvfb, real event loop, no input)"
  have_kiosk || { row "CPU time and wake-ups" "n/a (no kiosk yet)" "" "" ""; return; }
  fresh_demo
  ITS_BENCH=1 "$build/itsearvio" kiosk --demo --questionnaire "$qn12" --size 1280x800 --bench-question 3 \
    --idle 3600 >/dev/null 2>"$out/idle.err" &
  local pid=$! i
  for i in $(seq 100); do grep -q first_frame "$out/idle.err" && break; sleep 0.05; done
  sleep 1
  local before after hz
  before=$(proc_cpu "$pid")
  sleep "$idle_s"
  after=$(proc_cpu "$pid")
  kill -KILL "$pid"; wait "$pid" 2>/dev/null # a kiosk turns SIGTERM into a quit event it ignores
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
  local size r all n
  for size in 1280x800 1920x1080; do
    : >"$out/taps-$size.txt"
    for r in 1 2 3; do
      fresh_demo
      ITS_BENCH=1 "$build/itsearvio" kiosk --demo --questionnaire "$qn12" --size "$size" \
        --script "$out/taps.script" >/dev/null 2>>"$out/taps-$size.txt"
    done
    n=$(grep -c 'bench tap_us=' "$out/taps-$size.txt")
    all=$(sed -n 's/^bench tap_us=\([0-9]*\) .*/\1/p' "$out/taps-$size.txt" | awk '{print $1 / 1000}' | stats)
    row "$size: every tap ($n taps, 3 runs × $loops assessments)" "$(med "$all" 2) ms" \
        "p99 $(fmt "$(echo "$all" | cut -d' ' -f6)" 2) ms; p5–p95 $(fmt "$(echo "$all" | cut -d' ' -f4)" 2)–$(fmt \
"$(echo "$all" | cut -d' ' -f5)" 2) ms; max $(fmt "$(echo "$all" | cut -d' ' -f3)" 2) ms" "target p99 < 16 ms" ""
    all=$(sed -n 's/^bench tap_us=\([0-9]*\) saved=0/\1/p' "$out/taps-$size.txt" | awk '{print $1 / 1000}' | stats)
    row "$size: taps that do not save ($(echo "$all" | cut -d' ' -f7))" "$(med "$all" 2) ms" \
        "p99 $(fmt "$(echo "$all" | cut -d' ' -f6)" 2) ms; max $(fmt "$(echo "$all" | cut -d' ' -f3)" 2) ms" "" ""
    all=$(sed -n 's/^bench tap_us=\([0-9]*\) saved=1/\1/p' "$out/taps-$size.txt" | awk '{print $1 / 1000}' | stats)
    row "$size: \"send\" taps (durable save with fsync, then the thank-you frame; $(echo "$all" | cut -d' ' -f7))" \
        "$(med "$all" 2) ms" "$(spread "$all" 2) ms" "" ""
  done
}

section_store() {
  section "Saving a completed assessment, fsync on (synchronous=FULL, ext4 on the build disk)"
  "$build/its_store_bench" --records 10000 --samples 500 --dir "$out/tmp" >"$out/store.txt" 2>&1 ||
    { row "its_store_bench" "failed" "$(tail -1 "$out/store.txt")" "" ""; return; }
  local line
  line=$(grep '^save' "$out/store.txt")
  row "seal + commit of a 1.7 KB result (its_store_bench, 500 saves)" \
      "$(echo "$line" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p') ms" \
      "p99 $(echo "$line" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p') ms, max \
$(echo "$line" | sed -n 's/.*max \([0-9.]*\) ms.*/\1/p') ms" "" ""
}

# its_worker_bench (the worker data layer's own program): N records, real result documents.
# Output per size: "  2 threads: unlock (Argon2id) A s; then decrypt + index B s, list C s =>
# list shown D s after the unlock", then for 10,000 the CSV and FHIR export lines.
worker_runs() {
  local n=$1 times=$2 i
  : >"$out/worker-$n.txt"
  for i in $(seq "$times"); do
    "$build/its_worker_bench" --records "$n" --dir "$out/tmp" >>"$out/worker-$n.txt" 2>&1 ||
      echo "its_worker_bench --records $n failed: $(tail -1 "$out/worker-$n.txt")"
  done
}

# wfig FILE LABEL FIELD — one number (ms) per run from the worker bench's lines that start with
# LABEL ("first unlock, 2 thread", "later unlock").
wfig() {
  grep "^  $2" "$1" | case $3 in
    argon) sed -n 's/.*unlock (Argon2id) \([0-9.]*\) s.*/\1/p' ;;
    index) sed -n 's/.*decrypt + index \([0-9.]*\) s.*/\1/p' ;;
    shown) sed -n 's/.*list shown \([0-9.]*\) s after.*/\1/p' ;;
  esac | awk '{print $1 * 1000}'
}

section_worker() {
  section "Worker: unlock (Argon2id, INTERACTIVE), then unlocked-to-list (its_worker_bench)"
  [ -x "$build/its_worker_bench" ] || { store_worker_rows; return; }
  worker_runs 10000 3
  worker_runs "$big" 1
  local n f t a label
  for n in 10000 "$big"; do
    f=$out/worker-$n.txt
    t=$(grep -c '^[0-9]* records' "$f")
    a=$(wfig "$f" "first unlock, 2 thread" argon | stats)
    row "$(fmt "$n" 0) records: unlock, Argon2id alone ($t run(s))" "$(med "$a" 0) ms" "$(spread "$a" 0) ms" "" ""
    for label in "first unlock, 2 thread" "first unlock, 1 thread" "later unlock"; do
      a=$(wfig "$f" "$label" shown | stats)
      row "$(fmt "$n" 0) records: unlocked → list shown, $(case $label in
             *2*) echo "first unlock, 2 threads" ;; *1*) echo "first unlock, 1 thread" ;;
             *) echo "later unlock (sealed index cache)" ;; esac)" \
          "$(med "$a" 0) ms" "$(spread "$a" 0) ms" \
          "$([ "$n" = 10000 ] && [ "$label" != "first unlock, 1 thread" ] && echo "target < 1 000 ms")" \
          "$(fmt "$(echo "$a" | cut -d' ' -f1)e3" 0 "$n") µs per record"
    done
  done
  worker_export_rows "$out/worker-10000.txt"
}

worker_export_rows() {
  local kind a m
  for kind in CSV FHIR; do
    a=$(sed -n "s/.*as $kind *: .*, \([0-9.]*\) s to a file.*/\1/p" "$1" | awk '{print $1 * 1000}' | stats)
    m=$(sed -n "s/.*as $kind *: .*(\([0-9.]* MB\).*/\1/p" "$1" | head -1)
    row "export 10 000 records to $kind (temp file, fsync, rename)" "$(med "$a" 0) ms" "$(spread "$a" 0) ms" \
        "$m" ""
  done
}

# Before the worker's data layer: the store API's unlock + decrypt of every record.
store_worker_rows() {
  local n f
  for n in 10000 "$big"; do
    f=$out/store-$n.txt
    [ "$n" = 10000 ] && f=$out/store.txt ||
      "$build/its_store_bench" --records "$n" --samples 100 --dir "$out/tmp" >"$f" 2>&1
    row "$n records: unlock, Argon2id alone" "$(sed -n 's/^unlock.*) \([0-9]*\) ms/\1/p' "$f") ms" "" "" ""
    row "$n records: list + decrypt every record (store API, 1 thread)" \
        "$(sed -n 's/^list + decrypt.*: \([0-9]*\) ms.*/\1/p' "$f") ms" \
        "$(sed -n 's/.*(\([0-9.]* us per record\)).*/\1/p' "$f")" "target (10,000) < 1 s" ""
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
