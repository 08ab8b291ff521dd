#!/bin/sh
# tests/herd_allowed.sh -- rewrite tests/data/x86tso_allowed.txt and
# tests/data/aarch64_allowed.txt: for every shipped X86 (AArch64) litmus
# test, the final states herd7's x86tso.cat (aarch64.cat) allows, one line
# per test ("FILE: state | state | ..."), memory locations written without
# herd7's brackets.  tests/workloads/test_herd_allowed.c checks the
# simulator against them.  Needs herd7 (herdtools7 7.58 was used):
#   HERD7=/path/to/herd7 HERD7_LIBDIR=/path/to/herd/libdir sh tests/herd_allowed.sh
set -eu
herd=${HERD7:-herd7}
lib=${HERD7_LIBDIR:+-set-libdir $HERD7_LIBDIR}
states() { # folder model.cat out
  : > "$3"
  for f in litmus/"$1"/*.litmus; do
    # shellcheck disable=SC2086 # $lib is empty or two words
    $herd $lib -model "$2" "$f" |
      awk -v name="$(basename "$f")" '
        /^States / { on = 1; next }
        on && /^(Ok|No)$/ { on = 0 }
        on { gsub(/\[/, ""); gsub(/\]/, ""); gsub(/ +$/, ""); s = s (n++ ? " | " : " ") $0 }
        END { if (n) print name ":" s }' >> "$3"
  done
}
states x86 x86tso.cat tests/data/x86tso_allowed.txt
states aarch64 aarch64.cat tests/data/aarch64_allowed.txt
