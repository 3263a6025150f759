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
  # Keep the notebook's own metadata (dotnet-repl writes an older polyglot layout and per-cell timestamps) and drop
  # the kernel's transient "Installing Packages…" progress outputs, keeping the final package list.
  if command -v python3 > /dev/null; then
    python3 - "$out" "$nb" <<'PY'
import json, sys
path, source = sys.argv[1], sys.argv[2]
nb, original = json.load(open(path)), json.load(open(source))
nb["metadata"] = original["metadata"]
for cell, orig in zip(nb["cells"], original["cells"]):
    cell["metadata"] = orig.get("metadata", {})
    if "outputs" in cell:
        cell["outputs"] = [o for o in cell["outputs"] if "Installing Packages" not in "".join(o.get("data", {}).get("text/html", []))]
json.dump(nb, open(path, "w"), indent=1, ensure_ascii=False)
open(path, "a").write("\n")
PY
  fi
  mv "$out" "$nb"
done
