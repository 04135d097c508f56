#!/bin/sh
# The project's style, checked by a program (as curl does): banned functions, a comment at the
# top of every header saying what the module owns, no tabs, lines of at most 110 characters, no
# file-scope state in the screen code.
# usage: tools/check-style.sh [SOURCE_DIR]   exit 1 and one line per problem when anything is off
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2
problems=0
report() { echo "$1"; problems=$((problems + 1)); }

files=$(find app tests -name '*.[ch]' -not -path '*/build*' | sort)
for f in $files; do
  # Unbounded or error-prone calls: use snprintf / its_strlcpy / its_appendf / strtol instead.
  grep -nE '(^|[^_a-zA-Z0-9])(sprintf|vsprintf|strcpy|strcat|strncpy|strncat|strtok|sscanf|atoi|atol|gets)[[:space:]]*\(' "$f" |
    grep -vE '^[0-9]+:\s*(/\*|\*)' | while IFS= read -r hit; do echo "$f:${hit%%:*}: banned function"; done
  grep -n "$(printf '\t')" "$f" | head -1 | while IFS= read -r hit; do echo "$f:${hit%%:*}: tab character"; done
  awk -v f="$f" 'length($0) > 110 { print f ":" NR ": line longer than 110 characters" }' "$f"
done > /tmp/its-style.$$
while IFS= read -r line; do report "$line"; done < /tmp/its-style.$$
rm -f /tmp/its-style.$$

# Screen code keeps no file-scope state (README, Conventions): it travels in the context
# (ui_app.h) or in the screen's own struct. Left: ui_stop.c (a signal handler reaches nothing
# else).
for f in $(ls app/ui/*.c app/wui/*.c | grep -vE '/ui_stop\.c$'); do
  awk -v f="$f" '
    /^(static|extern) / || /^[a-z_]+ [A-Za-z_]+( =.*)?;$/ {
      head = $0; sub(/[=;{].*/, "", head)
      if (head ~ /^(return|typedef|static inline)/) next
      if (index(head, "(") && !index(head, "(*")) next            # a function
      if (head ~ /const [^*]*$/ || head ~ /\*const /) next        # a constant table
      print f ":" NR ": file-scope state: pass it in the context (ui_app.h) or the screen struct"
    }' "$f"
done > /tmp/its-style.$$
while IFS= read -r line; do report "$line"; done < /tmp/its-style.$$
rm -f /tmp/its-style.$$

for h in $(find app -name '*.h' | sort); do
  head -1 "$h" | grep -q '^/\* ' || report "$h:1: a header starts with a comment saying what the module owns"
done
echo "style: $problems problems"
[ "$problems" -eq 0 ]
