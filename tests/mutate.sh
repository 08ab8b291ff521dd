#!/bin/sh
# tests/mutate.sh -- break the model on purpose, one way at a time, and
# check that the test suite notices.
#
#   tests/mutate.sh [NAME...]        all mutations, or only those named
#
# Each mutation is a sed patch on one source file of cpu/ or workloads/
# (listed below, fields split by @: name, file, sed expression, what it
# breaks).  The script
# copies the working tree (tracked and untracked files, no build dirs) to a
# scratch folder ($MMSIM_MUTATE_DIR, default /tmp/mmsim-mutate.PID), builds
# it once, then per mutation: patches the file, rebuilds incrementally,
# runs the whole suite (ctest -j2), restores the file.  A mutation the
# suite fails on is "caught"; one it passes is a "SURVIVOR": a behaviour no
# test guards.  A patch that no longer matches its source is reported as
# "stale" (edit the list), not counted as caught.  Exit 0 when every
# mutation was caught, 1 otherwise.  The scratch folder is removed at the
# end unless MMSIM_KEEP_TEST_FILES is set.
#
# A full pass builds the tree once, then per mutation an incremental build
# and the suite: a few minutes per mutation on a 2-CPU machine.
set -u

MUTATIONS='
release-keeps-no-order@cpu/core.c@s/(u->order == MO_RELEASE || u->order == MO_SEQ_CST)/(u->order == MO_SEQ_CST)/@a release store no longer orders older stores (pso, weak)
consume-no-iq@cpu/core.c@/u->order == MO_CONSUME \&\& c->p.order_addr_deps/d@a consume load no longer applies the invalidate queue (weak)
acquire-no-iq@cpu/core.c@s/return o == MO_ACQUIRE || o == MO_SEQ_CST;/return o == MO_SEQ_CST;/@an acquire load or RMW no longer applies the invalidate queue (weak)
full-fence-no-drain@cpu/core.c@s/if (u->fence == MF_FULL \&\& must_drain_first(c)) return;/(void)0;/@a full fence no longer drains the store buffer
store-fence-no-epoch@cpu/core.c@s/if (u->fence == MF_STORE \&\& c->model->sb_out_of_order) c->epoch++;/(void)0;/@a store fence no longer orders stores (pso, weak)
load-fence-no-iq@cpu/core.c@s/if (u->fence != MF_STORE) iq_apply(c);/if (u->fence == MF_FULL) iq_apply(c);/@a load fence no longer applies the invalidate queue (weak)
rmw-no-drain@cpu/core.c@/case UOP_CAS:/{n;s/if (must_drain_first(c)) return;/(void)0;/}@an RMW or CAS no longer drains the store buffer
drain-one-cycle-later@cpu/core.c@s/sim_now(c->sim) + c->p.drain_delay, c->epoch/sim_now(c->sim) + c->p.drain_delay + 1, c->epoch/@stores drain one cycle later: timing only, every ordering kept
native-pin-cpu0@workloads/native_loop.c@s/CPU_SET((int)(tid % (unsigned)cpus), \&set);/CPU_SET(0, \&set);/@every native thread pinned to CPU 0: the host threads run one at a time
'

src=$(cd "$(dirname "$0")/.." && pwd)
work=${MMSIM_MUTATE_DIR:-/tmp/mmsim-mutate.$$}
mkdir -p "$work/src" || exit 1
log="$work/log"
: >"$log"

say() { printf '%s\n' "$*"; }

# The working tree as it is, edits included, without build outputs.
(cd "$src" && git ls-files -co --exclude-standard | grep -v '^build' | tar -cf - -T -) |
  (cd "$work/src" && tar -xf -) || exit 1

# Debug with -O2: asserts on, and no link-time optimisation, which would
# relink every test from scratch after each one-line patch.  Warnings are
# not errors here: -O2 without LTO warns where the real builds do not, and
# warnings are not what this measures.
build() {
  cmake -S "$work/src" -B "$work/build" -DMMSIM_WERROR=OFF -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_C_FLAGS_DEBUG=-O2 -g" >>"$log" 2>&1 &&
    cmake --build "$work/build" -j2 >>"$log" 2>&1
}

say "mutate: scratch tree $work; building it once"
if ! build; then
  say "mutate: the unmutated tree does not build; see $log"
  exit 1
fi

# The suite must pass unmutated, or every mutation would look caught.
if ! ctest --test-dir "$work/build" -j2 >"$work/baseline.ctest" 2>&1; then
  say "mutate: the suite fails without any mutation; see $work/baseline.ctest"
  exit 1
fi
say "mutate: the unmutated suite passes"

wanted() {
  [ $# -eq 0 ] && return 0
  for w in "$@"; do [ "$w" = "$name" ] && return 0; done
  return 1
}

caught=0 survived=0 other=0
results=""
IFS_NL='
'
OLDIFS=$IFS
IFS=$IFS_NL
for line in $MUTATIONS; do
  IFS=$OLDIFS
  [ -n "$line" ] || continue
  name=${line%%@*}; rest=${line#*@}
  file=${rest%%@*}; rest=${rest#*@}
  expr=${rest%%@*}; what=${rest#*@}
  if ! wanted "$@"; then IFS=$IFS_NL; continue; fi
  f="$work/src/$file"
  cp "$f" "$f.orig"
  sed -i -e "$expr" "$f"
  if cmp -s "$f" "$f.orig"; then
    verdict="stale (the patch no longer matches $file)"
    other=$((other + 1))
  else
    start=$(date +%s)
    say "mutate: $name: $what"
    if ! build; then
      verdict="did not build"
      other=$((other + 1))
    else
      out="$work/$name.ctest"
      if ctest --test-dir "$work/build" -j2 >"$out" 2>&1; then
        verdict="SURVIVOR: the whole suite passes"
        survived=$((survived + 1))
      else
        failed=$(sed -n 's/^[[:space:]]*[0-9]* - \([^ ]*\) (Failed.*/\1/p' "$out" | tr '\n' ' ')
        verdict="caught by ${failed:-(see $out)}"
        caught=$((caught + 1))
      fi
    fi
    say "mutate: $name: $verdict ($(( $(date +%s) - start )) s)"
  fi
  mv "$f.orig" "$f"
  touch "$f" # make must see the file as changed again
  results="$results$name: $verdict$IFS_NL"
  IFS=$IFS_NL
done
IFS=$OLDIFS

say ""
say "mutate: $caught caught, $survived survived, $other stale or not built"
printf '%s' "$results" | sed 's/^/  /'
if [ -z "${MMSIM_KEEP_TEST_FILES:-}" ] && [ $survived -eq 0 ] && [ $other -eq 0 ]; then
  rm -rf "$work"
else
  say "mutate: files kept in $work"
fi
[ $survived -eq 0 ] && [ $other -eq 0 ]
