#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 60)
# from a seed corpus of the bundled questionnaires, the fixtures and the broken corpus, and the
# fleet's wire parser (fuzz_batch) from tests/fleet/corpus.
# usage: tests/fuzz/run.sh [SECONDS [TARGET...]]   (TARGET: fuzz_questionnaire, fuzz_answers, fuzz_batch;
#        default all)
# Each target's log is build-fuzz/TARGET.log; the summary line gives executions, coverage and crashes.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
for pkg in clang libclang-rt-14-dev; do # libFuzzer and the sanitizer runtimes
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"; }
done
out=build-fuzz
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 -D_POSIX_C_SOURCE=200809L -Iapp/core $(pkg-config --cflags jansson)"
# every core source (the core links only jansson and libm), so a new core file needs no edit here
core=$(echo app/core/*.c)
libs="$(pkg-config --libs jansson) -lm"
shift || true
wanted=" ${*:-fuzz_questionnaire fuzz_answers fuzz_batch} "
for target in $wanted; do # only the targets asked for, so a running one is never rebuilt
  case $target in
  fuzz_batch) # the fleet's wire parser (app/fleet): batches, answers, pull pages and requests, bundles
    # shellcheck disable=SC2086
    clang $flags -Iapp/fleet $(pkg-config --cflags libsodium) tests/fuzz/fuzz_batch.c app/fleet/wire.c \
      app/fleet/sign.c app/core/util.c $libs $(pkg-config --libs libsodium) -o "$out/fuzz_batch" ;;
  *)
    # shellcheck disable=SC2086
    clang $flags tests/fuzz/$target.c $core $libs -o "$out/$target" ;;
  esac
done
mkdir -p "$out/corpus-q" "$out/corpus-a" "$out/corpus-b"
cp tests/fleet/corpus/*.json "$out/corpus-b/"
cp questionnaires/*.json tests/fixtures/*.json tests/broken/*.json "$out/corpus-q/" 2>/dev/null || true
printf '{"D1.1": 2, "D1.2": "x", "WORK": 0, "D5.5": "na"}' > "$out/corpus-a/a1.json"
printf '1 0 2 1 0 3 2 1 0 1 3 0 1 0 2 1 0 0 2 4 1 2 2 1 2 3 1 0 1 2 0 3 4 1 2 0' > "$out/corpus-a/a2.txt"
status=0
for target in fuzz_questionnaire:corpus-q fuzz_answers:corpus-a fuzz_batch:corpus-b; do
  name=${target%%:*} corpus=${target##*:}
  [[ $wanted == *" $name "* ]] || continue
  echo "== $name for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=1 "$out/$name" -max_total_time="$seconds" -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$out/$name-" "$out/$corpus" 2>"$out/$name.log" || status=1
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$out/$name.log" || true
  # the last status line carries the edge coverage (cov:) and features (ft:) reached
  grep -E "^#[0-9]+" "$out/$name.log" | tail -1 || true
  [ $status -eq 0 ] || { tail -40 "$out/$name.log"; exit 1; }
done
echo "fuzzing: no crash, leak or undefined behaviour found"
