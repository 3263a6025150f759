#!/usr/bin/env bash
# Bad-input trial: runs every distinct bad input listed below, across every verb but notebooks, against the Release CLI and classifies each:
#   clear     exit 2, exactly one output line "error: …" that names the bad value (the case's expected fragment)
#   unclear   refused, but not as one line naming the value (several lines, another exit code, the value not named)
#   trace     a stack trace or an unhandled exception
#   leftover  a file was created, changed or removed although the input was refused
#   accepted  exit 0: the bad input was taken
#   hang      still running after the time limit (killed)
# Usage: tests/bad-inputs.sh [path/to/Warmstart.Cli.dll]   (build first: dotnet build Workbook.sln -c Release)
# Prints one line per case that is not "clear", then the counts; exits 1 unless every case is clear.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dll=${1:-$here/lib/Warmstart.Cli/bin/Release/net10.0/Warmstart.Cli.dll}
[[ -f $dll ]] || { echo "no CLI at $dll: build with 'dotnet build Workbook.sln -c Release'" >&2; exit 2; }
export OMP_NUM_THREADS=1
W=$(mktemp -d /tmp/warmstart-bad-inputs.XXXXXX)
trap 'rm -rf "$W"' EXIT
cli() { dotnet "$dll" "$@"; }

# Fixtures: a finished base run, its grown checkpoint, a corrupt copy, odd data files and folders.
cd "$W"
cli train --tokens 20000 --eval-every 5 --eval-batches 1 --threads 1 --out base >/dev/null || { echo "fixture: base run failed" >&2; exit 2; }
cli grow --base base --operator szp --target-heads 8 --out grown >/dev/null || { echo "fixture: grow failed" >&2; exit 2; }
cp -r base corrupt && printf '\x7f\x7f\x7f\x7f' | dd of=corrupt/checkpoint/model.safetensors bs=1 seek=100000 conv=notrunc status=none
cp -r corrupt killed && rm killed/summary.json   # as if killed after its last checkpoint: --resume must check it
echo "not a folder" > afile.txt
mkdir -p emptydir nonempty onlytrain badsweep otherpreset
echo mine > nonempty/notes.txt
head -c 5000 /dev/urandom > odd.bin
head -c 5001 /dev/urandom > oddsize.bin
: > empty.bin
: > empty.txt
printf 'a few words\nand a second line\n' > short.txt
head -c 4000 /dev/zero > onlytrain/train.bin
echo '{"preset": ' > badsweep/sweep.json
echo '{"preset": "quick", "description": "", "runs": [], "updated": "2026-01-01T00:00:00Z"}' > otherpreset/sweep.json

# expected fragment <TAB> arguments (shell words)
cases=$(cat <<'EOF'
'abc'	train --out o --lr abc
1E+300	train --out o --lr 1e300
got 0	train --out o --lr 0
got -1	train --out o --lr -1
NaN	train --out o --lr nan
Infinity	train --out o --lr Infinity
'inf'	train --out o --lr inf
1000000000000000	train --out o --tokens 1e15
'abc'	train --out o --tokens abc
got 0	train --out o --tokens 0
-5	train --out o --tokens -5
'2.5'	train --out o --tokens 2.5
got -1	train --out o --tpp -1
1E+300	train --out o --tpp 1e300
got 0	train --out o --tpp 0
'abc'	train --out o --tpp abc
got -1	train --out o --threads -1
'abc'	train --out o --threads abc
100000 layers	train --out o --layers 100000
got 0	train --out o --layers 0
got -3	train --out o --layers -3
got 0	train --out o --heads 0
'99999999999'	train --out o --heads 99999999999
got 0	train --out o --head-size 0
HeadSize 7	train --out o --head-size 7
--width 60	train --out o --width 60
got 0	train --out o --context 0
100000000	train --out o --context 100000000
2000000000	train --out o --vocab 2000000000
(100)	train --out o --vocab 100
got -1	train --out o --vocab -1
'foo'	train --out o --param foo
got 0	train --out o --base-width 0
'batchnorm'	train --out o --norm batchnorm
'relu'	train --out o --mlp relu
'absolute'	train --out o --positions absolute
got 2	train --out o --rotary-fraction 2
0.3	train --out o --rotary-fraction 0.3
'linear'	train --out o --schedule linear
got 0	train --out o --batch-size 0
100000000 × 128	train --out o --batch-size 100000000
got 3	train --out o --micro-batches 3
got 0	train --out o --micro-batches 0
got -1	train --out o --clip -1
got -0.1	train --out o --weight-decay -0.1
got 0	train --out o --eval-every 0
got 0	train --out o --eval-batches 0
got 0	train --out o --log-every 0
got -1	train --out o --checkpoint-every -1
got -1	train --out o --snapshot-every -1
'abc'	train --out o --seed abc
'tpu'	train --out o --device tpu
'cuda'	train --out o --device cuda
'cuda:x'	train --out o --device cuda:x
'wordpiece'	train --out o --tokenizer wordpiece
missing.txt	train --out o --data missing.txt
empty.txt	train --out o --data empty.txt
odd.bin	train --out o --data odd.bin
oddsize.bin	train --out o --data oddsize.bin
empty.bin	train --out o --data empty.bin
short.txt	train --out o --data short.txt
onlytrain	train --out o --data onlytrain
emptydir	train --out o --data emptydir
--task	train --out o --task teacher
'giant'	train --out o --preset giant
--heads	train --out o --preset mlp --heads 4
'nope'	train --out o --preset mlp --task nope
afile.txt	train --out afile.txt
/proc/x	train --out /proc/x
afile.txt	train --out afile.txt/sub
--out	train --out ""
nonempty	train --out nonempty
base	train --out base --lr 0.001
/o'	train --out o --resume
missingdir	train --out o --init missingdir
afile.txt	train --out o --init afile.txt
model.json	train --out o --init base
--out	train
--lr	train --out o --lr
'--frobnicate'	train --out o --frobnicate
'maybe'	train --out o --bf16 maybe
--tokens	train --out o --tokens 100 --tpp 10
--width 64	train --out o --width 64 --heads 5
'1e3'	train --out o --seed 1e3
model.safetensors	train --out killed --resume --tokens 20000 --eval-every 5 --eval-batches 1
missing	grow --base missing --operator szp --target-heads 8 --out g
afile.txt	grow --base afile.txt --operator szp --target-heads 8 --out g
emptydir	grow --base emptydir --operator szp --target-heads 8 --out g
'nope'	grow --base base --operator nope --target-heads 8 --out g
got 2	grow --base base --operator szp --lambda 2 --target-heads 8 --out g
'abc'	grow --base base --operator szp --lambda abc --target-heads 8 --out g
got -1	grow --base base --operator szp --sigma -1 --target-heads 8 --out g
got 0	grow --base base --operator szp --target-heads 0 --out g
100000000 heads	grow --base base --operator szp --target-heads 100000000 --out g
2	grow --base base --operator szp --target-heads 2 --out g
'abc'	grow --base base --operator szp --g abc --out g
'diagonal'	grow --base base --operator szp --g 2 --rule diagonal --out g
--g	grow --base base --operator szp --g 2 --target-heads 8 --out g
--target-width	grow --base base --operator szp --target-width 8 --out g
afile.txt	grow --base base --operator szp --target-heads 8 --out afile.txt
/proc/x	grow --base base --operator szp --target-heads 8 --out /proc/x
grown	grow --base base --operator szp --target-heads 8 --out grown
model.safetensors	grow --base corrupt --operator szp --target-heads 8 --out g
--operator	grow --base base --target-heads 8 --out g
--base	grow --operator szp --target-heads 8 --out g
'abc'	grow --base base --operator szp --target-heads 8 --seed abc --out g
got 0	grow --base base --operator szp --target-layers 0 --out g
got 0.5	grow --base base --operator szp --g 0.5 --out g
'nope'	sweep --preset nope --out s
got 0	sweep --preset smoke --seeds 0 --out s
got 1000000	sweep --preset smoke --seeds 1000000 --out s
'abc'	sweep --preset smoke --seeds abc --out s
got -1	sweep --preset smoke --seeds -1 --out s
-5	sweep --preset smoke --tpp 10 -5 --out s
'abc'	sweep --preset smoke --tpp abc --out s
got 0	sweep --preset smoke --tpp 0 --out s
'tpu'	sweep --preset smoke --device tpu --out s
got -1	sweep --preset smoke --threads-per-run -1 --out s
got 0	sweep --preset smoke --workers 0 --out s
'abc'	sweep --preset smoke --workers abc --out s
'pbs'	sweep --preset smoke --backend pbs --out s
--partition	sweep --preset smoke --partition debug --out s
--workers	sweep --preset smoke --backend slurm --workers 2 --out s
got 0	sweep --preset smoke --backend slurm --cpus-per-task 0 --dry-run --out s
got 0	sweep --preset smoke --backend slurm --max-concurrent 0 --dry-run --out s
/nonexistent	sweep --status /nonexistent
emptydir	sweep --status emptydir
nope.json	run nope.json
afile.txt	run afile.txt --results emptydir
afile.txt	run afile.txt
/nonexistent	run afile.txt --results /nonexistent
'sometimes'	run afile.txt --results emptydir --progress sometimes
--layers	train --init grown --layers 5 --out o
--heads	train --init grown --heads 2 --out o
afile.txt	sweep --preset smoke --out afile.txt
/proc/x	sweep --preset smoke --out /proc/x
base	sweep --preset smoke --out base
'quick'	sweep --preset smoke --out otherpreset
--preset	sweep --out s
--out	sweep --preset smoke
/nonexistent	report --results /nonexistent
afile.txt	report --results afile.txt
emptydir	report --results emptydir
badsweep	report --results badsweep
--results	report
'maybe'	report --results otherpreset --no-charts maybe
got 0	bench --steps 0
got -1	bench --steps -1
'abc'	bench --steps abc
0 is not allowed	bench --widths 0
60 is not allowed	bench --widths 60
-64 is not allowed	bench --widths -64
'abc'	bench --widths abc
got 0	bench --layers 0
got 0	bench --context 0
got 0	bench --batch-size 0
100000000 × 256	bench --batch-size 100000000
got 0	bench --head-size 0
'foo'	bench --positions foo
'adam'	bench --optimizer adam
'tpu'	bench --device tpu
got -1	bench --threads -1
got -1	bench --soak -1
100000 layers	bench --layers 100000
--from	data brown
/nonexistent	data brown --from /nonexistent
afile.txt	data brown --from afile.txt
emptydir	data brown --from emptydir --out b.jsonl
'frob'	data frob
'frob'	frob
no verb	
EOF
)

# Files with size and time, folders by name only (a probe file created and deleted changes a folder's time, nothing else).
snapshot() { find "$W" \( -type d -printf 'd %p\n' \) -o -printf 'f %p %s %T@\n' 2>/dev/null | sort; }
declare -A count=([clear]=0 [unclear]=0 [trace]=0 [leftover]=0 [accepted]=0 [hang]=0)
total=0
while IFS=$'\t' read -r expect args; do
  [[ -z $expect && -z $args ]] && continue
  eval "set -- $args"
  before=$(snapshot)
  out=$(timeout 120 dotnet "$dll" "$@" 2>&1); rc=$?
  after=$(snapshot)
  lines=$(printf '%s' "$out" | grep -c '')
  if (( rc == 124 || rc == 137 )); then kind=hang
  elif grep -qE '^\s+at |Unhandled exception|Exception:' <<<"$out"; then kind=trace
  elif [[ $before != "$after" ]]; then kind=leftover
  elif (( rc == 0 )); then kind=accepted
  elif (( rc == 2 && lines == 1 )) && [[ $out == error:* && $out == *"$expect"* ]]; then kind=clear
  else kind=unclear
  fi
  # Put the sandbox back as it was for the next case.
  if [[ $kind == leftover ]]; then diff <(echo "$before") <(echo "$after") | head -3 | sed 's/^/    /'; fi
  rm -rf "$W/o" "$W/g" "$W/s" "$W/b.jsonl"
  count[$kind]=$((count[$kind] + 1)); total=$((total + 1))
  [[ $kind != clear ]] && printf '%-9s rc=%s  %s\n    %s\n' "$kind" "$rc" "$args" "$(head -c 400 <<<"$out" | tr '\n' '|')"
done <<<"$cases"

echo
echo "bad inputs: $total"
for k in clear unclear trace leftover accepted hang; do printf '  %-9s %3d\n' "$k" "${count[$k]}"; done
(( count[clear] == total ))
