#!/usr/bin/env bash
# Regenerates every committed result set under data/results/ (one sweep after another, each on one 1-thread worker per core).
# On 2 cores this is days of training (the quick study alone is ~1 h per seed): run it where there are cores, or
# one line at a time; each sweep resumes where it stopped.
# Each sweep trains only what is missing, so an interrupted run picks up where it stopped. Checkpoints
# (*.safetensors) stay local: .gitignore here keeps them out of the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
# A private build, so that editing the code while this runs cannot mix two versions into one result set.
cli=$(mktemp -d)
dotnet publish lib/Warmstart.Cli -c Release -o "$cli" > /dev/null
sweep() { local preset=$1; shift; dotnet "$cli/Warmstart.Cli.dll" sweep --preset "$preset" --out "data/results/$preset" "$@"; }
# Seeds as issue 12 asks: the headline study 8, the ablation and the controls 5, every other study 3.
sweep quick --seeds 8           # the headline growth-factor study (notebook 03)
sweep controls-quick --seeds 5  # what SZP transfers: untrained / permuted base, rescaled scratch (notebook 09)
sweep tune-quick --seeds 3      # scratch and SZP over LR × init scale, each at its best (notebooks 03, 06)
sweep ablation-quick --seeds 5  # every operator from one base (notebook 01)
sweep lambda-quick --seeds 3    # SZP's λ and σ (notebook 02)
sweep budget-quick --seeds 3    # 10/20/30 tokens per parameter, four target sizes (notebooks 04 and 05)
sweep lr-quick --seeds 3        # LR transfer (notebook 06)
sweep mlp-quick --seeds 3       # dense MLPs (notebook 07)
sweep weights-quick --seeds 3   # weight snapshots (notebook 08)
