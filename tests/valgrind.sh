#!/usr/bin/env bash
# Runs the core's test programs under valgrind; any error or leak fails. usage: valgrind.sh BUILD_DIR
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")/.." && pwd)
export ITS_SOURCE_DIR=$src ITSEARVIO_DATA=$src
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
$vg "$build/tests/test_clientcode" >/dev/null
$vg "$build/tests/test_scoring" >/dev/null
$vg "$build/tests/test_oma_tilanne" >/dev/null
$vg "$build/tests/test_work_rule" >/dev/null
$vg "$build/tests/test_clinical" >/dev/null
$vg "$build/tests/test_answercheck" >/dev/null
$vg "$build/tests/test_feedback" >/dev/null
$vg "$build/tests/test_vectors" "$src/tests/fixtures/whodas36-structure.json" "$src/tests/fixtures/whodas12-structure.json" >/dev/null
for f in "$src"/questionnaires/*.json "$src"/questionnaires/previous/*.json; do
  [ -e "$f" ] && $vg "$build/itsearvio" check "$f" >/dev/null
done
echo "valgrind: 0 errors"
