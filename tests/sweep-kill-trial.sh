#!/usr/bin/env bash
# Fault trial for sweeps: SIGKILL a two-worker sweep (`sweep --preset smoke`) at N random moments and check that
#   1. no worker outlives it: 5 s after the kill, no process names the trial's results folder;
#   2. the same command resumes it, and every run's final validation loss equals an uninterrupted sweep's, bit for bit.
# With --slurm, the same for the Slurm backend: scancel the submitted jobs at a random moment, check that none is left
# in squeue after 5 s, resubmit, wait, and compare. Prints one line per trial and a summary; exits 1 unless every
# trial passes.   Usage: tests/sweep-kill-trial.sh [trials] [--slurm] [path/to/Warmstart.Cli.dll]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
trials=10 backend=local dll=$here/lib/Warmstart.Cli/bin/Release/net10.0/Warmstart.Cli.dll
for a in "$@"; do
  case $a in
    --slurm) backend=slurm ;;
    *.dll) dll=$a ;;
    *) trials=$a ;;
  esac
done
[[ -f $dll ]] || { echo "no CLI at $dll: build with 'dotnet build Workbook.sln -c Release'" >&2; exit 2; }
W=$(mktemp -d /tmp/warmstart-sweep-kill.XXXXXX)
trap 'rm -rf "$W"' EXIT
cli() { dotnet "$dll" "$@"; }
losses() { python3 -c "
import csv, sys
for r in sorted(csv.DictReader(open(sys.argv[1] + '/runs.csv')), key=lambda r: r['run_id']):
    print(r['run_id'], r['status'], r['final_val_loss'])" "$1"; }

# Slurm: submit, then wait until squeue has none of this folder's jobs left.
# A job belongs to a trial when its batch script lies in the trial's results folder (<dir>/slurm/NNN/*.sbatch).
jobs_of() { squeue -h -o '%i %o' 2>/dev/null | awk -v dir="$1/" 'index($2, dir) == 1 {print $1}'; }
slurm_sweep() { cli sweep --preset smoke --out "$1" --backend slurm > /dev/null; }
slurm_wait() { while [ -n "$(jobs_of "$1")" ]; do sleep 2; done; cli report "$1" > /dev/null 2>&1 || true; }

start=$(date +%s.%N)
if [ "$backend" = local ]; then
  cli sweep --preset smoke --out "$W/reference" --workers 2 > /dev/null || { echo "reference sweep failed" >&2; exit 2; }
else
  slurm_sweep "$W/reference" && slurm_wait "$W/reference"
fi
seconds=$(python3 -c "print($(date +%s.%N) - $start)")
want=$(losses "$W/reference")
echo "reference ($backend): $(echo "$want" | wc -l) runs in ${seconds%.*} s"
passed=0 survivors=0
for i in $(seq 1 "$trials"); do
  dir=$W/t$i
  at=$(python3 -c "import random; print(round(random.uniform(1.0, $seconds * 0.9), 2))")
  if [ "$backend" = local ]; then
    dotnet "$dll" sweep --preset smoke --out "$dir" --workers 2 > /dev/null 2>&1 & # not through cli(): $! must be dotnet itself
    pid=$!
    sleep "$at"
    kill -9 "$pid" 2> /dev/null; wait "$pid" 2> /dev/null
    sleep 5
    left=$(pgrep -f -- "$dir" | wc -l)
    cli sweep --preset smoke --out "$dir" --workers 2 > /dev/null 2>&1
  else
    slurm_sweep "$dir"
    sleep "$at"
    jobs_of "$dir" | xargs -r scancel
    sleep 5
    left=$(jobs_of "$dir" | wc -l)
    slurm_sweep "$dir" && slurm_wait "$dir"
  fi
  got=$(losses "$dir")
  survivors=$((survivors + left))
  if [ "$left" -eq 0 ] && [ "$got" = "$want" ]; then
    passed=$((passed + 1)); echo "trial $i: stopped at ${at} s; no survivor; resumed to identical final losses"
  else
    echo "trial $i: stopped at ${at} s; $left survivor(s) after 5 s; final losses $( [ "$got" = "$want" ] && echo identical || echo DIFFER)"
    diff <(echo "$want") <(echo "$got") | head -5
  fi
done
echo "$passed of $trials trials passed ($backend): $survivors survivors in all"
[ "$passed" -eq "$trials" ]
