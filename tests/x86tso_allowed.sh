#!/bin/sh
# tests/x86tso_allowed.sh -- rewrite tests/data/x86tso_allowed.txt: for every
# shipped X86 litmus test, the final states herd7's x86-TSO model allows,
# one line per test ("FILE: state | state | ..."), memory locations written
# without herd7's brackets.  tests/workloads/test_x86_allowed.c checks the
# simulator against it.  Needs herd7 (herdtools7 7.58 was used):
#   HERD7=/path/to/herd7 HERD7_LIBDIR=/path/to/herd/libdir sh tests/x86tso_allowed.sh
set -eu
herd=${HERD7:-herd7}
lib=${HERD7_LIBDIR:+-set-libdir $HERD7_LIBDIR}
out=tests/data/x86tso_allowed.txt
: > "$out"
for f in litmus/x86/*.litmus; do
  # shellcheck disable=SC2086 # $lib is empty or two words
  $herd $lib -model x86tso.cat "$f" |
    awk -v name="$(basename "$f")" '
      /^States / { on = 1; next }
      on && /^(Ok|No)$/ { on = 0 }
      on { gsub(/\[/, ""); gsub(/\]/, ""); gsub(/ +$/, ""); s = s (n++ ? " | " : " ") $0 }
      END { if (n) print name ":" s }' >> "$out"
done
