#!/usr/bin/env bash
# Re-executes the notebooks against the committed results (Regenerate off) and saves their outputs in place, so the
# committed notebooks open with their tables and charts. Usage: notebooks/refresh-outputs.sh [notebook.ipynb ...]
# Needs the library built (dotnet build -c Release) and the local tools restored (dotnet tool restore).
set -euo pipefail
cd "$(dirname "$0")"
notebooks=("$@")
[ ${#notebooks[@]} -eq 0 ] && notebooks=(*.ipynb)
for nb in "${notebooks[@]}"; do
  out=$(mktemp --suffix=.ipynb)
  echo "running $nb"
  WARMSTART_REGENERATE=false WARMSTART_SCALE=quick \
    dotnet tool run dotnet-repl -- --run "$nb" --exit-after-run --output-format ipynb --output-path "$out" || {
      echo "$nb: a cell failed; outputs kept in $out" >&2; exit 1; }
  # Drop the kernel's transient "Installing Packages…" progress outputs, keeping the final package list.
  if command -v python3 > /dev/null; then
    python3 - "$out" <<'PY'
import json, sys
path = sys.argv[1]
nb = json.load(open(path))
for cell in nb["cells"]:
    outs = cell.get("outputs", [])
    kept = [o for o in outs if "Installing Packages" not in "".join(o.get("data", {}).get("text/html", []))]
    cell["outputs"] = kept
json.dump(nb, open(path, "w"), indent=1, ensure_ascii=False)
open(path, "a").write("\n")
PY
  fi
  mv "$out" "$nb"
done
