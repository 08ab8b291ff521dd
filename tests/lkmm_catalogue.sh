#!/bin/sh
# tests/lkmm_catalogue.sh -- the LKMM tests of herdtools7's catalogue under
# every model, against herd7's own verdicts.
#
#   tests/lkmm_catalogue.sh HERDTOOLS7_DIR [ITERATIONS]   (default 200000)
#
# HERDTOOLS7_DIR is a checkout of https://github.com/herd/herdtools7; each
# catalogue/linux/tests/NAME.litmus there has NAME.litmus.expected, herd7's
# output under linux-kernel.cat, whose Observation line gives the verdict.
# Per test, one line: the verdict, then what each model showed (Never 0,
# Sometimes N).  A test herd7 calls Never whose condition shows under any
# model is UNSOUND; a test mmsim refuses is REFUSED.  The summary counts
# both, and the Sometimes tests each model shows.  Exit 1 if any test is
# unsound or refused.  Run from the repository root after building.
set -eu
dir=${1:?usage: tests/lkmm_catalogue.sh HERDTOOLS7_DIR [ITERATIONS]}/catalogue/linux/tests
n=${2:-200000}
mmsim=$(pwd)/build/mmsim
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
total=0 refused=0 unsound=0 never=0 sometimes=0 sc=0 tso=0 pso=0 weak=0
for f in "$dir"/*.litmus; do
  herd=$(awk '/^Observation/ {print $3}' "$f.expected")
  line=$(printf '%-58s herd7=%-9s' "$(basename "$f")" "$herd")
  total=$((total + 1))
  case $herd in Never) never=$((never + 1)) ;; Sometimes) sometimes=$((sometimes + 1)) ;; esac
  for m in sc tso pso weak; do
    if ! out=$("$mmsim" litmus "$f" --model $m --iterations "$n" --db "$tmp/r.db" 2>"$tmp/err"); then
      line="$line REFUSED: $(head -1 "$tmp/err")"
      refused=$((refused + 1))
      break
    fi
    obs=$(printf '%s\n' "$out" | awk '/^Observation/ {print $3, $4}')
    line="$line $m=$obs"
    if [ "${obs#Never}" = "$obs" ]; then
      [ "$herd" = Never ] && { line="$line(UNSOUND)"; unsound=$((unsound + 1)); }
      [ "$herd" = Sometimes ] && eval "$m=\$((\$$m + 1))"
    fi
  done
  rm -f "$tmp/r.db"
  echo "$line"
done
echo "$total tests ($never Never, $sometimes Sometimes for herd7), $n iterations per model:" \
  "$refused refused, $unsound showings of a Never condition;" \
  "Sometimes tests shown: sc $sc, tso $tso, pso $pso, weak $weak"
[ "$refused" -eq 0 ] && [ "$unsound" -eq 0 ]
