#!/usr/bin/env bash
# The reliability figures of RELIABILITY.md in one command (not in CI, which runs short versions):
#   1. each parser fuzzed FUZZ_SECONDS (default 1800) with ASan + UBSan, all three targets at once in
#      the background while the rest runs (tests/fuzz/run.sh);
#   2. the crash test with 500 SIGKILL trials (tests/store/test_store_crash.c; CI: 200);
#   3. the power-cut simulation, 1,000 trials (LD_PRELOAD shim tests/reliability/powercut.c;
#      CI: 60);
#   4. SIGKILL at random points of 60 exports of 2,000 assessments (tests/worker/export_kill.sh;
#      CI: 10 of 1,000);
#   5. the soak: 2,000 assessments in one kiosk process, memory and open files first and last
#      (tests/reliability/soak_kiosk.sh; not in CI).
# Builds build-rel/ (Release). Prints every figure and ends with "N passed, N failed" (N = parts);
# the full output is also kept in build-rel/reliability/report.txt.
# usage: tests/reliability/run.sh [FUZZ_SECONDS]
#        tests/reliability/run.sh --fuzz-summary   (only the fuzzing figures of the last run)
set -uo pipefail
cd "$(dirname "$0")/../.."
fuzz=${1:-1800}
out=build-rel/reliability
mkdir -p "$out"
pass=0 fail=0

fuzz_summary() { # the figures of each fuzz target's last run, from its log and exit status
  for target in fuzz_questionnaire fuzz_answers fuzz_batch; do
    rc=$(cat "$out/$target.rc" 2>/dev/null || echo 1)
    echo "-- $target (exit $rc)"
    grep -E "^#[0-9]+" "build-fuzz/$target.log" | tail -1
    grep -E "^Done|stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb" "build-fuzz/$target.log"
    crashes=$(ls build-fuzz 2>/dev/null | grep -cE "^$target-(crash|leak|timeout|oom)-" || true)
    if [ "$rc" -eq 0 ]; then
      echo "0 crashes, leaks or undefined behaviour (crash/leak/timeout files: $crashes)"
      pass=$((pass + 1))
    else
      tail -30 "build-fuzz/$target.log"; fail=$((fail + 1))
    fi
  done
}
if [ "$fuzz" = --fuzz-summary ]; then
  fuzz_summary
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]; exit
fi

exec > >(tee "$out/report.txt") 2>&1

echo "== Itsearvio reliability run"
echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(uname -srm), $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "command: tests/reliability/run.sh $fuzz"
sh tools/install-deps.sh >/dev/null
cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release >/dev/null &&
  cmake --build build-rel -j2 >/dev/null || { echo "build failed"; exit 1; }
bin=$PWD/build-rel/itsearvio
part() { # part NAME COMMAND...: runs one part, counts it
  local name=$1; shift
  echo; echo "== $name"
  local t0=$SECONDS
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "PART FAILED: $name"; fi
  echo "($((SECONDS - t0)) s)"
}

fuzzers=()
for target in fuzz_questionnaire fuzz_answers fuzz_batch; do
  (nice -n 19 bash tests/fuzz/run.sh "$fuzz" "$target" >"$out/$target.out" 2>&1
   echo $? >"$out/$target.rc") &
  fuzzers+=($!)
done

part "crash test: 500 SIGKILL trials" nice -n 19 build-rel/tests/store/test_store_crash 500
part "power cut: 1000 trials" nice -n 19 build-rel/tests/store/test_store_crash 1000 0 \
  --power-cut "$PWD/build-rel/tests/reliability/libpowercut.so"
part "SIGKILL during 60 exports of 2000 assessments" env ITSEARVIO_DATA="$PWD" \
  nice -n 19 sh tests/worker/export_kill.sh "$bin" 60 2000
part "soak: 2000 assessments in one kiosk process" nice -n 19 sh tests/reliability/soak_kiosk.sh "$bin" "$PWD" 2000

echo; echo "== fuzzing (${fuzz} s per parser, waiting for it to finish)"
wait "${fuzzers[@]}" # only these: a bare `wait` would also wait for the tee above, forever
fuzz_summary
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
