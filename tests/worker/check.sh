# check.sh — sourced by the worker's shell tests: a temporary folder removed at exit, and the
# counted checks that end in the "N passed, N failed" line every test program prints.
# usage: . "$(dirname "$0")/check.sh"; check_tmp NAME; check 'COND'; ...; check_end (last line)
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAILED: $*" >&2; }
check() { if eval "$1"; then ok; else bad "$1"; fi; }
# $tmp: a new folder its-NAME-XXXXXX, removed when the script exits.
check_tmp() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/its-$1-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
}
# The summary line; the script's exit status (0 only when nothing failed).
check_end() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
