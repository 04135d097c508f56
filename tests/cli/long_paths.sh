#!/bin/sh
# A path longer than its buffer is refused with a message, never cut (a cut path names another
# file): a data folder, an export target, a worker key file named in config.json and the data
# folder of the questionnaires (ITSEARVIO_DATA), each a little over its limit.
# usage: long_paths.sh ITSEARVIO SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/its-long-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/cli/expect.sh"

# deep NAME LENGTH: a folder path under $tmp of about LENGTH characters (parts of 200)
deep() {
  p=$tmp/$1
  while [ ${#p} -lt $(($2 - 200)) ]; do p=$p/$(printf '%0200d' 0); done
  pad=$(($2 - ${#p} - 1))
  [ $pad -gt 0 ] && p=$p/$(printf "%0${pad}d" 0)
  printf '%s' "$p"
}

long=$(deep dir 1010) # fits 1024, but DIR/config.json did not and was cut
mkdir -p "$long"
expect init-dir 1 "The data folder path is too long" -- "$bin" init --demo --dir "$long"
[ -z "$(find "$tmp/dir" -type f)" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAILED init-dir: files were written"; find "$tmp/dir" -type f; }
expect open-dir 1 "The data folder path is too long" -- "$bin" list --dir "$long" --passphrase-file "$src/README.md"

"$bin" init --demo --dir "$tmp/data" >/dev/null 2>&1
ITSEARVIO_DATA=$src "$bin" demo --dir "$tmp/data" --count 2 >/dev/null 2>&1
W="--dir $tmp/data --passphrase-file $tmp/data/demo-passphrase.txt"
out=$(deep out 1300)
mkdir -p "$out"
expect export-out 1 "is too long" -- env ITSEARVIO_DATA="$src" "$bin" export $W --format csv --out "$out/export.csv"
[ -z "$(find "$tmp/out" -type f)" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAILED export-out: a file was left"; }

data=$(deep share 1030)
mkdir -p "$data"
expect data-dir 1 "is too long" -- env ITSEARVIO_DATA="$data" "$bin" list $W
expect data-dir-demo 1 "is too long" -- env ITSEARVIO_DATA="$data" "$bin" demo --dir "$tmp/data" --count 1

cp "$tmp/data/config.json" "$tmp/config.saved"
key=$(deep key 1040)
sed "s|\"worker_key_file\": *\"[^\"]*\"|\"worker_key_file\": \"$key/worker.key\"|" "$tmp/config.saved" > "$tmp/data/config.json"
grep -q "$key" "$tmp/data/config.json" || echo "note: config.json has no worker_key_file to lengthen"
expect key-file 1 "is too long" -- env ITSEARVIO_DATA="$src" "$bin" list $W

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
