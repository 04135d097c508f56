#!/usr/bin/env bash
# tests/bench/run.sh — Itsearvio's benchmark suite (issue 6): one command that builds in release
# mode (its own build folder), starts one shared Xvfb, measures Itsearvio, a bare SDL2 program and
# the web-kiosk peer (headless Chromium) in the same session, and prints one table of figures with
# their median and spread. Figures only: nothing here passes or fails on time.
#
# usage: tests/bench/run.sh [--quick] [--no-deps] [--update-doc]
#   --quick       fewer runs, 5 s idle, 20,000 records: to try the script, not to quote
#   --no-deps     do not install the bench-only packages (chromium, hyperfine, ...)
#   --update-doc  also replace the table in BENCHMARKS.md
# env: BENCH_BUILD (default build-bench), BENCH_PEER (folder with web-peer.sh, peak-pss.sh and
#      question.html; default tests/bench/peer)
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${BENCH_BUILD:-$src/build-bench}
peer=${BENCH_PEER:-$here/peer}
runs=10 idle_s=60 loops=5 big=100000 deps=1 update_doc=0
for a in "$@"; do
  case $a in
    --quick) runs=3 idle_s=5 loops=2 big=20000 ;;
    --no-deps) deps=0 ;;
    --update-doc) update_doc=1 ;;
    *) echo "usage: tests/bench/run.sh [--quick] [--no-deps] [--update-doc]"; exit 2 ;;
  esac
done
out=$build/bench-results
qn12=$src/questionnaires/whodas12-style.json
. "$here/lib.sh"

# ---- bench-only packages: not in tools/install-deps.sh, which CI runs --------------------------
bench_deps() {
  local need="" p
  for p in chromium hyperfine xvfb python3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
  done
  [ -z "$need" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "the benchmarks need:$need (sudo apt-get install$need)"; exit 2
  fi
  echo "installing bench-only packages:$need"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null; } ||
    { echo "could not install:$need"; exit 2; }
}

# Only what the suite runs (not the tests), so a fresh checkout is measured within minutes.
build_release() {
  echo "building (Release) in $build ..."
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$out/build.log" 2>&1 ||
    { tail -30 "$out/build.log"; echo "cmake failed (log: $out/build.log)"; exit 1; }
  local targets="itsearvio its_store_bench bench_scoring bench_launch bare_sdl" t
  for t in its_worker_bench; do
    cmake --build "$build" --target help 2>/dev/null | grep -q " $t\$" && targets="$targets $t"
  done
  # shellcheck disable=SC2086
  cmake --build "$build" -j"$(nproc)" --target $targets >>"$out/build.log" 2>&1 ||
    { tail -30 "$out/build.log"; echo "build failed (log: $out/build.log)"; exit 1; }
}

[ "$deps" = 1 ] && bench_deps
mkdir -p "$build"
exec 9>"$build/.bench-lock"
flock -n 9 || { echo "another benchmark run is using $build"; exit 2; }
rm -rf "$out"; mkdir -p "$out/tmp"
export TMPDIR=$out/tmp ITSEARVIO_DATA=$src ITS_SOURCE_DIR=$src
build_release
start_xvfb || { echo "could not start Xvfb"; exit 1; }
trap 'stop_xvfb; rm -rf "$out/tmp"' EXIT
began=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

table_header
. "$here/sections.sh"
section_startup
section_memory
section_idle
section_taps
section_store
section_worker
section_scoring
echo
machine_info | tee "$out/machine.md"
echo
cat "$out/table.md"
echo
echo "($(( $(date +%s) - began )) s of measuring; details in $out)"
[ "$update_doc" = 1 ] && update_benchmarks_md "$src/BENCHMARKS.md" "$out/machine.md" "$out/table.md"
exit 0
