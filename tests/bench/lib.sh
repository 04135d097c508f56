# tests/bench/lib.sh — helpers for run.sh: statistics, table rows, the shared Xvfb, launch
# timing, the machine description and the BENCHMARKS.md update. Sourced, not run.
# Uses from run.sh: $out (results folder), $build, $src.

# stats: numbers on stdin, one a line -> "median min max p5 p95 p99 n" (nearest rank).
stats() {
  python3 -c '
import sys
v = sorted(float(x) for x in sys.stdin.read().split())
if not v:
    print("nan nan nan nan nan nan 0"); sys.exit()
def q(p): return v[min(len(v) - 1, max(0, int(round(p * (len(v) - 1)))))]
m = (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2
print(m, v[0], v[-1], q(0.05), q(0.95), q(0.99), len(v))'
}

# fmt NUMBER DECIMALS [DIVISOR] — NUMBER (or NUMBER / DIVISOR) with thin thousands groups; "–" if
# it is not a number (a measurement that did not run).
fmt() {
  python3 -c '
import sys
try:
    v = float(sys.argv[1]) / float(sys.argv[3])
    print(f"{v:,.{int(sys.argv[2])}f}".replace(",", " ") if v == v else "–")
except (ValueError, ZeroDivisionError):
    print("–")' "$1" "$2" "${3:-1}"
}

# ratio A B -> "A/B" with one decimal and a times sign, or "–" when either is missing.
ratio() {
  python3 -c '
import sys
try:
    a, b = float(sys.argv[1]), float(sys.argv[2])
    print(f"{a / b:.2f}×" if b else "–")
except ValueError:
    print("–")' "$1" "$2"
}

table_header() {
  {
    echo "| figure | Itsearvio (median) | spread | compared with | ratio |"
    echo "|---|---|---|---|---|"
  } >"$out/table.md"
}

# row FIGURE VALUE SPREAD COMPARED RATIO — one table line; printed as it comes, too.
row() {
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "${4:-}" "${5:-}" | tee -a "$out/table.md"
}

# section TITLE — a heading line inside the table.
section() { row "**$1**" "" "" "" ""; }

# One shared Xvfb for the whole run, on the first free display from :99 down.
start_xvfb() {
  local n
  for n in 99 98 97 96 95 94; do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
    xvfb_pid=$!
    export DISPLAY=":$n"
    for _ in $(seq 100); do
      [ -e "/tmp/.X11-unix/X$n" ] && return 0
      kill -0 "$xvfb_pid" 2>/dev/null || break
      sleep 0.05
    done
  done
  return 1
}

stop_xvfb() { [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null; }

# launch_ms RUNS LOGNAME COMMAND... — runs COMMAND RUNS times through bench_launch and writes, one
# a line, the milliseconds from launch to the program's "bench first_frame_ns" line to
# LOGNAME.frame, and to its "bench first_question_ns" line to LOGNAME.question.
# $before_run, when set, is run before every launch (not timed); with $launch_append set, the
# files are added to instead of started afresh.
launch_ms() {
  local n=$1 name=$2 i
  shift 2
  [ -n "${launch_append:-}" ] || { : >"$out/$name.frame"; : >"$out/$name.question"; }
  for i in $(seq "$n"); do
    ${before_run:-true}
    ITS_BENCH=1 "$build/bench/bench_launch" "$@" >/dev/null 2>"$out/$name.err" || {
      echo "failed: $* (see $out/$name.err)" >&2; return 1; }
    awk -F= '/^bench t0_ns=/ {t0 = $2} /^bench first_frame_ns=/ {f = $2}
             /^bench first_question_ns=/ {q = $2}
             END { if (f) printf "%.3f\n", (f - t0) / 1e6 >> "'"$out/$name.frame"'";
                   if (q) printf "%.3f\n", (q - t0) / 1e6 >> "'"$out/$name.question"'" }' "$out/$name.err"
  done
}

# hyperfine_ms RUNS NAME COMMAND [PREPARE] — median, min and max wall time of unsampled runs, and
# the mean CPU time (user + system), in ms. CPU time is the steadier figure on a busy machine.
hyperfine_ms() {
  hyperfine -N -w 1 -r "$1" --export-json "$out/$2.json" ${4:+--prepare "$4"} "$3" >"$out/$2.hyperfine" 2>&1 || {
    echo "nan nan nan nan"; return 1; }
  hyperfine_pool "$out/$2.json"
}

# hyperfine_pool JSON... — the same four figures over every run of every file.
hyperfine_pool() {
  python3 -c '
import json, statistics, sys
t, cpu = [], []
for f in sys.argv[1:]:
    r = json.load(open(f))["results"][0]
    t += r["times"]
    cpu.append((r["user"] + r["system"]) * len(r["times"]))
print(statistics.median(t) * 1e3, min(t) * 1e3, max(t) * 1e3, sum(cpu) / len(t) * 1e3)' "$@"
}

# hyperfine_alternating RUNS NAME_A CMD_A PREPARE_A NAME_B CMD_B PREPARE_B — A and B in turns of 5
# runs (each turn with its own warm-up), so a change in the machine's load falls on both; writes
# the pooled figures of each to NAME.pooled.
hyperfine_alternating() {
  local runs=$1 turn
  for turn in $(seq $(( (runs + 4) / 5 ))); do
    hyperfine -N -w 1 -r 5 --export-json "$out/$2-$turn.json" ${4:+--prepare "$4"} "$3" >>"$out/$2.hyperfine" 2>&1
    hyperfine -N -w 1 -r 5 --export-json "$out/$5-$turn.json" ${7:+--prepare "$7"} "$6" >>"$out/$5.hyperfine" 2>&1
  done
  hyperfine_pool "$out/$2"-*.json >"$out/$2.pooled" 2>/dev/null || echo "nan nan nan nan" >"$out/$2.pooled"
  hyperfine_pool "$out/$5"-*.json >"$out/$5.pooled" 2>/dev/null || echo "nan nan nan nan" >"$out/$5.pooled"
}

# pss_kib RUNS COMMAND... — peak PSS (KiB) of each of RUNS sampled runs, one a line; $before_run
# as in launch_ms.
pss_kib() {
  local n=$1 i
  shift
  for i in $(seq "$n"); do
    ${before_run:-true}
    "$peer/peak-pss.sh" "$@" | sed -n 's/.*peak_pss_kib=\([0-9]*\).*/\1/p'
  done
}

machine_info() {
  local cpu mem sdl deb
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  sdl=$(pkg-config --modversion sdl2 2>/dev/null)
  deb=$(cat /etc/debian_version 2>/dev/null)
  echo "Machine: $(nproc) CPUs, $cpu, $mem RAM; Debian $deb, kernel $(uname -r); SDL $sdl," \
       "SDL2_ttf $(pkg-config --modversion SDL2_ttf 2>/dev/null);" \
       "$(chromium --version 2>/dev/null | sed 's/ built on.*//'); $(hyperfine --version);" \
       "Xvfb 1920×1080×24; $(date -u +%Y-%m-%d), commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null);" \
       "load average at the start ${load_start:-?}, at the end $(cut -d' ' -f1-3 /proc/loadavg)."
}

# update_benchmarks_md FILE MACHINE TABLE — replaces what is between the bench markers.
update_benchmarks_md() {
  python3 - "$@" <<'PY'
import sys
doc, machine, table = sys.argv[1:4]
text = open(doc).read()
begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
if begin not in text or end not in text:
    sys.exit(f"{doc}: no {begin} ... {end} markers")
body = open(machine).read().strip() + "\n\n" + open(table).read().strip() + "\n"
head, rest = text.split(begin, 1)
open(doc, "w").write(head + begin + "\n" + body + end + rest.split(end, 1)[1])
print(f"updated {doc}")
PY
}
