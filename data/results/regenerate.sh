#!/usr/bin/env bash
# Regenerates every committed result set under data/results/ with the current presets, one study after another,
# each on one 1-thread worker per core. On 2 cores the whole campaign is about 12 core-hours: it is meant to run in
# the background across several working sessions. Each study trains into data/campaign/<preset>/ (a staging folder
# that nothing reads), resumes where it stopped, and replaces data/results/<preset>/ only once every run of it has
# finished, so a reader never sees a study that mixes two generations or is half done.
# Progress (the sweep's own lines and, every few minutes, the share of compute done with an estimate of the time
# left) goes to runs/campaign.log.
# Checkpoints (*.safetensors) stay local, except that a finished base whose warm runs have not all trained keeps its
# final checkpoint in git (see the campaign's commit step), so another machine can carry on from it.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p runs data/campaign
log=runs/campaign.log
# A private build, so that editing the code while this runs cannot mix two versions into one result set.
cli=$(mktemp -d)
dotnet publish lib/Warmstart.Cli -c Release -o "$cli" > /dev/null
say() { echo "$(date -u '+%F %T') $*" | tee -a "$log"; }

study() {
  local preset=$1; shift
  local stage=data/campaign/$preset
  if [ -f "data/results/$preset/.generation" ] && [ "$(cat "data/results/$preset/.generation")" = "$generation" ] && [ ! -d "$stage" ]; then
    say "$preset: already regenerated"; return 0
  fi
  say "$preset: training into $stage ($*)"
  dotnet "$cli/Warmstart.Cli.dll" sweep --preset "$preset" --out "$stage" "$@" >> "$log" 2>&1 &
  local pid=$! last=$SECONDS
  # Checks every few seconds whether the sweep has ended (so the next study starts at once); progress every 5 minutes.
  while kill -0 "$pid" 2> /dev/null; do
    sleep 5
    (( SECONDS - last >= 300 )) || continue
    last=$SECONDS
    kill -0 "$pid" 2> /dev/null && dotnet "$cli/Warmstart.Cli.dll" sweep --status "$stage" 2>&1 | grep -E '^(compute|finished|pending|failed)' | tr '\n' ' ' | sed "s/^/$(date -u '+%F %T') $preset: /;s/$/\n/" >> "$log"
  done
  if wait "$pid"; then
    echo "$generation" > "$stage/.generation"
    rm -rf "data/results/$preset"
    mv "$stage" "data/results/$preset"
    say "$preset: finished; data/results/$preset replaced"
  else
    say "$preset: the sweep failed (see above); data/results/$preset is unchanged"; return 1
  fi
}

# The preset generation these results belong to: the fused attention path, lean evaluation (16 batches on the
# curve, 64 for the final loss, 32 held-out batches to choose settings) and the litgpt µP init.
generation=fused-1
# The depth studies first: new, on the fused path from the start, and independent of the tuned settings that the
# width studies wait for. Budget: depth-quick 3.6e14 FLOPs of 6·N·D (≈ 4 core-hours at ~4e-11 core-seconds per FLOP
# on the fused path, measured on the main job), mlp-depth-quick ≈ 0.5 core-hour (145 MLP runs of seconds each).
study mlp-depth-quick --seeds 5 # dense MLPs grown in depth (notebook 10)
# The function-preserving rival's noise σ, chosen on the selection seeds 100 and 101 (≈ 0.5 core-hour): the tune
# study and every width study after it train fp at the kept σ.
study fp-noise-quick            # fp + σ · fresh init at g ≈ 2 and 9 (notebook 01)
# The tuning grid on the selection seeds (≈ 3.5 core-hours): each method's kept setting, for every width study after it.
# Scratch and SZP kept the grid's lowest init scale, so their rows reach further down, scratch's to × 0.18 (rules of
# 2026-12-07, item 2).
study tune-quick                # scratch, SZP, fp (σ kept) × LR {0.005 … 0.02} × init {0.7, 1, 1.4} (+ 0.5, 0.35 for scratch and SZP; 0.25, 0.18 for scratch), g ≈ 2 and 9 (notebooks 03, 06)
# The width studies that judge the claims, each method at its kept setting (SweepPresets.KeptSettings): the headline
# study first (≈ 2 core-hours), so that the README's main job reproduces it run for run.
study quick --seeds 8           # scratch vs SZP and fp across g (notebook 03; claims 2, 3)
study scratch-default-quick     # its scratch target at the former default, 8 seeds: is scratch at its best? (notebook 06)
study ablation-quick --seeds 8  # every width operator from one base (notebook 01; claims 1, 2)
study depth-quick --seeds 5     # the language model grown in depth; deeper vs wider vs both (notebook 10)
study budget-quick --seeds 6    # SZP vs scratch at 10, 20, 30 TPP, four target sizes (notebooks 04, 05; claims 4a, 4b, 5)
study controls-quick            # what SZP transfers, 8 seeds (notebook 09)
say "campaign: every study of this generation is regenerated"
