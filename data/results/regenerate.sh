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

# The preset generation these results belong to: lean evaluation (16 batches on the curve, 64 for the final loss,
# 32 held-out batches to choose settings) and the litgpt µP init.
generation=lean-eval-1
# In order of value. Budget: about 12 core-hours at ~200 core-seconds per 133k-parameter target at 20 tokens per
# parameter (≈ 1.0e-10 core-seconds per FLOP of 6·N·D, lean evaluation included): quick 1.6e14 FLOPs, tune 1.2e14,
# budget 1.3e14, ablation 0.66e14, mlp 0.15e14, and lambda, lr and weights 0.15e14 together at one seed. The studies
# that feed no claim (lambda, lr, weights) run one seed — illustrations without intervals — which keeps the whole
# campaign within the budget. controls-quick is not retrained: its final losses are the same 64 validation batches
# the current presets score at the last step (evaluation never changes training), and it has one setting per
# configuration, so held-out selection has nothing to choose.
study quick --seeds 8           # the headline growth-factor study (notebook 03; claims 2, 3, 4a)
study tune-quick --seeds 3      # scratch, SZP and fp over LR × init scale, chosen on held-out batches (notebooks 03, 06)
study budget-quick --seeds 3    # 10/20/30 tokens per parameter, four target sizes (notebooks 04, 05; claims 4b, 5)
study ablation-quick --seeds 5  # every operator from one base (notebook 01; claim 1)
study mlp-quick --seeds 3       # dense MLPs (notebook 07)
study lambda-quick --seeds 1    # SZP's λ and σ (notebook 02)
study lr-quick --seeds 1        # LR transfer (notebook 06)
study weights-quick --seeds 1   # weight snapshots (notebook 08)
say "campaign: every study is regenerated"
