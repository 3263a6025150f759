#!/usr/bin/env bash
# Regenerates every committed result set under data/results/ (≈ 1.5–2 hours on 2 cores, one sweep after another).
# Each sweep trains only what is missing, so an interrupted run picks up where it stopped. Checkpoints
# (*.safetensors) stay local: .gitignore here keeps them out of the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build lib/Warmstart.Cli -c Release
sweep() { local preset=$1; shift; dotnet run --project lib/Warmstart.Cli -c Release --no-build -- sweep --preset "$preset" --out "data/results/$preset" "$@"; }
sweep quick --seeds 3          # the headline growth-factor study (notebook 03)
sweep ablation-quick --seeds 2 # every operator from one base (notebook 01)
sweep lambda-quick             # SZP's λ and σ (notebook 02)
sweep budget-quick             # 10/20/30 tokens per parameter, two target sizes (notebooks 04 and 05)
sweep lr-quick                 # LR transfer (notebook 06)
