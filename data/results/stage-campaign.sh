#!/usr/bin/env bash
# Stages for commit what the regeneration campaign (regenerate.sh) has finished in data/campaign/: each study's
# sweep.json and plan, failures, and every FINISHED run (with its growth report) (spec, curve, summary) — never a run that is
# still training. A finished base whose warm runs have not all trained also keeps its final checkpoint (git add -f:
# weights are otherwise ignored), so that another machine can grow from it and carry the study on.
set -euo pipefail
cd "$(dirname "$0")/../.."
for stage in data/campaign/*/; do
  stage=${stage%/}
  [ -f "$stage/sweep.json" ] || continue
  git add "$stage/sweep.json" "$stage/plan"
  # A growth report only with its finished run: a pending run's grown weights stay local, and without its report
  # another machine grows the base again instead of looking for weights that are not there.
  for report in "$stage"/grown/*/report.json; do
    [ -f "$report" ] && [ -f "$stage/runs/$(basename "$(dirname "$report")")/summary.json" ] && git add "$report"
  done
  [ -d "$stage/failures" ] && git add "$stage/failures"
  python3 - "$stage" <<'PY'
import json, os, subprocess, sys
stage = sys.argv[1]
def load(p):
    with open(p) as f: return json.load(f)
def key(spec):  # what makes a base run the base of a warm run: model and training settings but threads and device,
    # and whether it trained at all (an untrained base shares its trained twin's settings)
    train = {k: v for k, v in spec["train"].items() if k not in ("threads", "device")}
    return json.dumps([spec["model"], spec.get("data"), train, bool(spec.get("untrained"))], sort_keys=True)
# plan/<run id>.json: the run's id is its file name.
plans = {f[:-len(".json")]: load(os.path.join(stage, "plan", f)) for f in os.listdir(os.path.join(stage, "plan")) if f.endswith(".json")}
runs = os.path.join(stage, "runs")
finished = {d for d in os.listdir(runs) if os.path.exists(os.path.join(runs, d, "summary.json"))} if os.path.isdir(runs) else set()
# Bases of warm runs that have not finished yet. A warm run is named by its id, not matched by its settings: arms that
# differ only in what they do to the base (permuted, untrained, rescaled) share model and training settings, so a
# finished sibling must not stand for a pending one.
pending_bases = {key(spec["base"]) for run_id, spec in plans.items() if spec.get("base") is not None and run_id not in finished}
paths = []
for d in sorted(finished):
    folder = os.path.join(runs, d)
    paths += [os.path.join(folder, f) for f in ("spec.json", "curve.csv", "summary.json")]
    spec = load(os.path.join(folder, "spec.json"))
    checkpoint = os.path.join(folder, "checkpoint")
    if spec.get("base") is None and key(spec) in pending_bases:
        if os.path.isdir(checkpoint):
            subprocess.run(["git", "add", "-f", checkpoint], check=True)
        else:
            print(f"warning: {folder} is the base of a pending warm run but has no checkpoint/ here; another machine "
                  "cannot grow from it (train it again by removing the folder, or copy its checkpoint from where it trained)")
if paths: subprocess.run(["git", "add", *paths], check=True)
print(f"{stage}: {len(finished)} finished runs staged")
PY
done
