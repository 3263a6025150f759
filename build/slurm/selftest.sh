#!/usr/bin/env bash
# End-to-end check of the one-node cluster started by start-cluster.sh:
# concurrency on the cores, job arrays, afterok/afterany dependencies (whole
# array and single element) and cancellation of never-satisfiable dependencies.
set -euo pipefail

ok()   { echo "selftest: ok   $*"; }
fail() { echo "selftest: FAIL $*" >&2; squeue -t all -o '%i %T %r %E' >&2 || true; exit 1; }
sub()  { sbatch --parsable --chdir="$dir" -o /dev/null "$@"; }   # prints the job id
# Distinct states of a job / array / array element (<id>_<task>), e.g. "COMPLETED".
state() { squeue -h -t all -j "$1" -o %T | sort -u | paste -sd,; }
expect() { local s; s=$(state "$1"); [ "$s" = "$2" ] || fail "$3: job $1 is '$s', expected '$2'"; ok "$3 ($1 $s)"; }
wait_done() {   # wait (<= 120 s) until none of the given jobs is pending/running
  for _ in $(seq 240); do
    [ -z "$(squeue -h -j "$(IFS=,; echo "$*")" -t PD,R,CG,CF,S 2>/dev/null)" ] && return 0
    sleep 0.5
  done
  fail "jobs $* did not finish within 120 s"
}

dir=$(mktemp -d /tmp/slurm-selftest.XXXXXX)
t0=$SECONDS

# 1. Two 1-CPU jobs must run at the same time (one per core).
p1=$(sub -n1 -c1 --wrap 'date +%s.%N > p1; sleep 4')
p2=$(sub -n1 -c1 --wrap 'date +%s.%N > p2; sleep 4')
wait_done "$p1" "$p2"
awk -v a="$(cat "$dir/p1")" -v b="$(cat "$dir/p2")" 'BEGIN{d=a-b; if(d<0)d=-d; exit !(d<3)}' \
  || fail "1-CPU jobs $p1/$p2 did not overlap"
ok "two 1-CPU jobs ran concurrently"

# 2. Successful array + dependants.
a=$(sub --array=0-1 --wrap 'sleep 2; echo $SLURM_ARRAY_TASK_ID > a_$SLURM_ARRAY_TASK_ID')
b=$(sub --dependency=afterok:"$a"   --wrap 'cat a_0 a_1 > b')        # whole array
c=$(sub --dependency=afterok:"$a"_1 --wrap 'cat a_1 > c')            # one element
d=$(sub --dependency=afterany:"$a"  --wrap 'echo any > d')
# 3. Array whose task 1 fails (exit 1) + dependants.
f=$(sub --array=0-1 --wrap 'sleep 1; exit $SLURM_ARRAY_TASK_ID')
g=$(sub --dependency=afterok:"$f"   --wrap 'touch g')                 # -> cancelled
g1=$(sub --kill-on-invalid-dep=yes --dependency=afterok:"$f"_1 --wrap 'touch g1')  # -> cancelled
g0=$(sub --dependency=afterok:"$f"_0 --wrap 'touch g0')               # task 0 succeeded -> runs
h=$(sub --dependency=afterany:"$f"  --wrap 'touch h')                 # -> runs
wait_done "$a" "$b" "$c" "$d" "$f" "$g" "$g1" "$g0" "$h"

expect "$a" COMPLETED "array 0-1"
[ "$(cat "$dir/b")" = $'0\n1' ] || fail "afterok on array: b='$(cat "$dir/b")'"
expect "$b" COMPLETED "afterok:<array> saw both outputs"
[ "$(cat "$dir/c")" = 1 ] || fail "afterok on element: c='$(cat "$dir/c")'"
expect "$c" COMPLETED "afterok:<array>_1"
expect "$d" COMPLETED "afterany:<array>"
expect "$f" COMPLETED,FAILED "array with a failing task"
expect "$g" CANCELLED "afterok on failed array cancelled"
expect "$g1" CANCELLED "afterok on failed element cancelled"
expect "$g0" COMPLETED "afterok on the succeeded element of failed array"
expect "$h" COMPLETED "afterany on failed array"
[ ! -e "$dir/g" ] && [ ! -e "$dir/g1" ] && [ -e "$dir/g0" ] && [ -e "$dir/h" ] || fail "marker files"
rm -rf "$dir"
echo "selftest: all passed in $((SECONDS - t0)) s"
