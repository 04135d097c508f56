# expect.sh — sourced by the command-line test scripts. Counts in $pass and $fail.
# expect NAME WANTED_EXIT MESSAGE_SUBSTRING -- COMMAND...: the command exits WANTED_EXIT and its
# output (stdout and stderr) holds MESSAGE_SUBSTRING.
pass=0 fail=0
expect() {
  name=$1 want_rc=$2 want_msg=$3; shift 4
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -eq "$want_rc" ] && printf '%s' "$out" | grep -qF -- "$want_msg"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); printf 'FAILED %s: exit %s, output:\n%s\n' "$name" "$rc" "$out"
  fi
}
# lacks NAME UNWANTED -- COMMAND...: the command's output (stdout and stderr) does not hold
# UNWANTED (exit status not checked; pair it with an expect on the same command).
lacks() {
  name=$1 unwanted=$2; shift 3
  out=$("$@" 2>&1)
  if printf '%s' "$out" | grep -qF -- "$unwanted"; then
    fail=$((fail + 1)); printf 'FAILED %s: "%s" in the output:\n%s\n' "$name" "$unwanted" "$out"
  else
    pass=$((pass + 1))
  fi
}
