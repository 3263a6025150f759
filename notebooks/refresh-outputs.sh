#!/usr/bin/env bash
# Re-executes the notebooks against the committed results (Regenerate off) and saves their outputs in place, so the
# committed notebooks open with their tables and charts: each chart saved once, as a PNG drawn in chromium
# (WARMSTART_FIGURES=static), which GitHub and VS Code both show; running a cell again shows it interactive. Usage: notebooks/refresh-outputs.sh [notebook.ipynb ...]
# Needs the library built (dotnet build -c Release), the local tools restored (dotnet tool restore), python3, and
# for the static figures Debian's chromium (apt-get install chromium). tests/Warmstart.Tests/Notebooks/
# SavedNotebookTests.cs checks the result: outputs present, no errors, no machine paths, within the size budget.
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd .. && pwd)
notebooks=("$@")
[ ${#notebooks[@]} -eq 0 ] && notebooks=(*.ipynb)
command -v python3 > /dev/null || { echo "refresh-outputs.sh needs python3 to clean the saved outputs" >&2; exit 1; }
[ -x "${WARMSTART_CHROMIUM:-/usr/bin/chromium}" ] || echo "warning: no chromium: charts are saved without their static PNG (apt-get install chromium)" >&2
for nb in "${notebooks[@]}"; do
  out=$(mktemp --suffix=.ipynb)
  echo "running $nb"
  start=$SECONDS
  WARMSTART_REGENERATE=false WARMSTART_SCALE=quick WARMSTART_FIGURES=static \
    dotnet tool run dotnet-repl -- --run "$nb" --exit-after-run --output-format ipynb --output-path "$out" || {
      echo "$nb: a cell failed; outputs kept in $out" >&2; exit 1; }
  # Keep the notebook's own metadata (dotnet-repl writes an older polyglot layout and per-cell timestamps); drop the
  # kernel's transient outputs ("Installing Packages…" progress, "Loading extensions from <NuGet path>", the "…"
  # placeholder of a progress display) and replace any machine path left in an output; report the size.
  python3 - "$out" "$nb" "$repo" <<'PY'
import hashlib, json, os, re, sys
path, source, repo = sys.argv[1:4]
nb, original = json.load(open(path)), json.load(open(source))
nb["metadata"] = original["metadata"]
TEXT = ("text/plain", "text/html", "text/markdown")
def text(o):
    return "".join("".join(v) if isinstance(v, list) else v for k, v in o.get("data", {}).items() if k in TEXT)
def transient(o):
    t = text(o)
    return ("Installing Packages" in t or t.startswith("Loading extensions from ")
            or (o.get("output_type") == "display_data" and t.strip() == "…"))
paths = [(repo.rstrip("/") + "/", ""), (repo, ".")]  # the repository's own paths become relative
machine = re.compile(r"(/tmp/|/var/folders/|/work/|/root/|/home/[^/\s`'\"<]+/|/Users/[^/\s`'\"<]+/|[^\s`'\"<]*\.nuget/packages)[^\s`'\"<)]*")
def clean(s):
    for a, b in paths:
        if len(a) > 1: s = s.replace(a, b)
    return machine.sub("<path>", s)
for cell, orig in zip(nb["cells"], original["cells"]):
    cell["metadata"] = orig.get("metadata", {})
    cell["source"] = orig["source"]  # the notebook's own text: the kernel's copy has been seen to mangle non-ASCII bytes
    if "outputs" not in cell: continue
    outputs = [o for o in cell["outputs"] if not transient(o)]
    for o in outputs:
        o["metadata"] = {}
        for k, v in o.get("data", {}).items():
            if k in TEXT:
                o["data"][k] = [clean(x) for x in v] if isinstance(v, list) else clean(v)
        if "text" in o:
            o["text"] = [clean(x) for x in o["text"]] if isinstance(o["text"], list) else clean(o["text"])
    cell["outputs"] = outputs
# nbformat 4.5: every cell has an id (kept from the source notebook, so ids survive refreshes; a missing or clashing
# one is derived from the cell's position and text), and code cells carry the execution count of a top-to-bottom run.
seen, count = set(), 0
for i, (cell, orig) in enumerate(zip(nb["cells"], original["cells"])):
    cid = orig.get("id")
    if not (isinstance(cid, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", cid)) or cid in seen:
        body = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cid = hashlib.sha1(f"{i}:{body}".encode()).hexdigest()[:12]
    seen.add(cid)
    cell["id"] = cid
    if cell["cell_type"] == "code":
        count += 1
        cell["execution_count"] = count
        for o in cell.get("outputs", []):
            if o.get("output_type") == "execute_result":
                o["execution_count"] = count
nb["nbformat"], nb["nbformat_minor"] = 4, 5
with open(path, "w") as f:
    json.dump(nb, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{source}: {os.path.getsize(path) / 1e6:.2f} MB")
PY
  chmod 644 "$out"
  mv "$out" "$nb"
  echo "$nb: $((SECONDS - start)) s"
done
