#!/usr/bin/env bash
# Regenerates every committed result set under data/results/ (one sweep after another, each on one 1-thread worker per core).
# Each sweep trains only what is missing, so an interrupted run picks up where it stopped. Checkpoints
# (*.safetensors) stay local: .gitignore here keeps them out of the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
# A private build, so that editing the code while this runs cannot mix two versions into one result set.
cli=$(mktemp -d)
dotnet publish lib/Warmstart.Cli -c Release -o "$cli" > /dev/null
sweep() { local preset=$1; shift; dotnet "$cli/Warmstart.Cli.dll" sweep --preset "$preset" --out "data/results/$preset" "$@"; }
sweep quick --seeds 3          # the headline growth-factor study (notebook 03)
sweep ablation-quick --seeds 2 # every operator from one base (notebook 01)
sweep lambda-quick             # SZP's λ and σ (notebook 02)
sweep budget-quick             # 10/20/30 tokens per parameter, two target sizes (notebooks 04 and 05)
sweep lr-quick                 # LR transfer (notebook 06)
sweep mlp-quick --seeds 3      # dense MLPs (notebook 07)
sweep weights-quick            # weight snapshots (notebook 08)
