#!/usr/bin/env bash
# Fault trial: kill -9 `train --preset smoke` (default settings) at N random moments, then run the same command with
# --resume (which resumes from the last checkpoint, or restarts a run killed before its first one; a run killed before
# it wrote its spec.json is started by the same command again) and compare the
# final validation loss with an uninterrupted run's, bit for bit. Prints one line per trial and a summary;
# exits 1 unless every trial matches.   Usage: tests/kill-trial.sh [trials] [path/to/Warmstart.Cli.dll]
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
trials=${1:-10}
dll=${2:-$here/lib/Warmstart.Cli/bin/Release/net10.0/Warmstart.Cli.dll}
[[ -f $dll ]] || { echo "no CLI at $dll: build with 'dotnet build Workbook.sln -c Release'" >&2; exit 2; }
W=$(mktemp -d /tmp/warmstart-kill-trial.XXXXXX)
trap 'rm -rf "$W"' EXIT
final() { python3 -c "import json,sys; print(repr(json.load(open(sys.argv[1]))['final_val_loss']))" "$1/summary.json"; }

start=$(date +%s.%N)
dotnet "$dll" train --preset smoke --out "$W/reference" > /dev/null || { echo "reference run failed" >&2; exit 2; }
seconds=$(python3 -c "print($(date +%s.%N) - $start)")
want=$(final "$W/reference")
echo "reference: final val loss $want in ${seconds%.*} s"
same=0
for i in $(seq 1 "$trials"); do
  at=$(python3 -c "import random; print(round(random.uniform(1.0, $seconds * 0.95), 2))")
  dotnet "$dll" train --preset smoke --out "$W/t$i" > /dev/null 2>&1 &
  pid=$!
  sleep "$at"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  state=$( [[ -f $W/t$i/summary.json ]] && echo "finished before the kill" || { [[ -d $W/t$i/checkpoint ]] && echo "killed after a checkpoint" || echo "killed before any checkpoint"; } )
  # Killed before it wrote its spec: the folder holds no run, so the same command as before starts it; else --resume.
  again=(--resume); [[ -f $W/t$i/spec.json ]] || { again=(); state="killed before it wrote its spec"; }
  dotnet "$dll" train --preset smoke --out "$W/t$i" "${again[@]}" > "$W/t$i.log" 2>&1 || { echo "trial $i: kill at ${at} s ($state): rerun failed: $(tail -1 "$W/t$i.log")"; continue; }
  got=$(final "$W/t$i")
  if [[ $got == "$want" ]]; then same=$((same + 1)); verdict=identical; else verdict="DIFFERS ($got)"; fi
  echo "trial $i: kill -9 at ${at} s ($state) → resumed: final val loss $got, $verdict"
done
echo "$same of $trials trials end bit-identical to the uninterrupted run"
[[ $same == "$trials" ]]
