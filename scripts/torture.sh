#!/usr/bin/env bash
# Reliability torture test, run before a release (tens of minutes on 2 cores; not part of `mvn test`).
#
# Does what a hostile user would, with bin/vprompt as built (mvn -q -DskipTests package):
#   1. kill -9 at random moments of train, train --resume, export and sweep, then resumes; the final
#      checkpoint must be bit-identical to an uninterrupted run's and no metrics record may be doubled;
#   2. a corruption matrix over a finished run directory (every file deleted, truncated, garbled) through
#      eval, train --resume and export;
#   3. a corruption matrix over an exported model through inspect --strict and predict;
#   4. decompression bombs and malformed images and datasets through data info and predict;
#   5. two writers at once on one run directory and on one model directory;
#   6. a full disk: training into a small tmpfs (only as root, where mount works).
#
# Every command is judged: exit 0, a clear error (exit 1 or 2 and one "vprompt ...:" line on stderr),
# an unclear error, a stack trace, an abort (killed by a signal, hs_err file) or a hang (timeout); data
# lost counts checks of saved results that failed. The goal: zero in the last four.
#
# Usage: scripts/torture.sh [WORK_DIR]    (environment: KILLS=6 SEED=1 TIMEOUT=300 SECTIONS=0,1,2,3,4,5,6)
#
# SECTIONS runs only the listed sections (in numeric order), so that a check stopped part-way can be
# resumed in the same WORK_DIR: e.g. SECTIONS=0,3,4,5,6 first, then SECTIONS=1,2. Sections 1-6 need the
# reference run (ref/) and its exported model (ref-model/1) that section 0 makes: without 0 in SECTIONS
# they must already be in WORK_DIR, or the script stops with exit 2 before running anything. Each
# section starts by removing what an earlier run of that section left. The counts are printed per
# section and for the invocation; torture.log is appended to, one header per invocation; the standard
# error of every command judged anything but ok or clear is kept in WORK_DIR/errors/.
set -uo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vprompt="$home/bin/vprompt"
work="${1:-$(mktemp -d /tmp/vprompt-torture.XXXXXX)}"
kills="${KILLS:-6}"
limit="${TIMEOUT:-300}"
sections="${SECTIONS:-0,1,2,3,4,5,6}"
RANDOM="${SEED:-1}"
[[ "$sections" =~ ^[0-6](,[0-6])*$ ]] || { echo "torture.sh: SECTIONS must list section numbers 0-6, as in 0,3,4 (got '$sections')" >&2; exit 2; }
wanted() { [[ ",$sections," == *",$1,"* ]]; }
mkdir -p "$work" || exit 2
work="$(cd "$work" && pwd)"
cd "$work" || exit 2
log="$work/torture.log"
if ! wanted 0; then
  for needed in ref/summary.json ref/checkpoints/last/model.data-00000-of-00001 ref-model/1/saved_model.pb; do
    [[ -f "$needed" ]] || { echo "torture.sh: sections $sections need section 0's reference run, and $work/$needed" \
      "is missing: run SECTIONS=0 (or include 0) in this WORK_DIR first" >&2; exit 2; }
  done
fi
mkdir -p errors
{ echo; echo "#### $(date -u '+%Y-%m-%d %H:%M:%S UTC') SECTIONS=$sections KILLS=$kills SEED=${SEED:-1} TIMEOUT=$limit" \
  "commit $(git -C "$home" rev-parse --short HEAD 2> /dev/null || echo unknown) load $(cut -d' ' -f1-3 /proc/loadavg)"; } >> "$log"

tried=0; ok=0; clear=0; unclear=0; traces=0; aborts=0; hangs=0; lost=0; checked=0

note() { echo "$*" | tee -a "$log"; }

# section N TITLE: closes the previous section's counts (if any) and opens section N.
current=""
section() {
  [[ -n "$current" ]] && end_section
  current="$1"; shift
  start=($tried $ok $clear $unclear $traces $aborts $hangs $lost $checked)
  started=$SECONDS
  note "== $current. $* ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
}
end_section() {
  note "   section $current: tried $((tried - start[0])): ok $((ok - start[1])), clear errors $((clear - start[2])),"\
    "unclear errors $((unclear - start[3])), stack traces $((traces - start[4])), aborts $((aborts - start[5])),"\
    "hangs $((hangs - start[6])); data-lost checks failed $((lost - start[7])) of $((checked - start[8]));"\
    "$((SECONDS - started)) s"
  current=""
}

# judge NAME COMMAND...: runs one command under a timeout and counts how it ended.
judge() {
  local name="$1"; shift
  local out="$work/out.txt" err="$work/err.txt" rc verdict
  timeout "$limit" "$@" > "$out" 2> "$err"; rc=$?
  tried=$((tried + 1))
  local lines; lines=$(grep -cv '^\s*$' "$err")
  if [[ $rc == 124 ]]; then hangs=$((hangs + 1)); verdict=hang
  elif [[ $rc -ge 128 ]] || ls hs_err_pid*.log > /dev/null 2>&1; then aborts=$((aborts + 1)); verdict="abort($rc)"
    mv hs_err_pid*.log errors/ 2> /dev/null  # kept, and out of the way of the next verdicts
  elif grep -qE '^\s+at [a-zA-Z_$.]+\(|Exception in thread|^Caused by:' "$err"; then traces=$((traces + 1)); verdict=trace
  elif [[ $rc == 0 ]]; then ok=$((ok + 1)); verdict=ok
  elif [[ $lines -ge 1 ]] && grep -v '^\s*$' "$err" | grep -v ': warning: ' | head -1 | grep -qE '^vprompt [a-z ]+: (error|failed): ' \
      && [[ $(grep -v '^\s*$' "$err" | grep -cv ': warning: \|^(run with --verbose\|^Try .vprompt') -le 1 ]]; then
    clear=$((clear + 1)); verdict="clear($rc)"
  else unclear=$((unclear + 1)); verdict="unclear($rc)"
  fi
  printf '%-58s %-10s %s\n' "$name" "$verdict" "$(grep -v '^\s*$' "$err" | head -1 | cut -c1-150)" >> "$log"
  if [[ $verdict != ok && $verdict != clear* ]]; then
    { echo "$name: $verdict"; echo "\$ ${*@Q}"; cat "$err"; } > "errors/$tried-${verdict%%(*}.txt"
  fi
  return 0
}

# check NAME CONDITION...: a saved result that must have survived.
check() {
  local name="$1"; shift
  checked=$((checked + 1))
  if "$@"; then echo "  kept: $name" >> "$log"; else lost=$((lost + 1)); note "  LOST: $name"; fi
}

same_file() { cmp -s "$1" "$2"; }
epochs_once() { # metrics.jsonl holds epochs 1..N once each, in order
  python3 - "$1" "$2" <<'EOF'
import json, sys
epochs = [json.loads(l)["epoch"] for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if epochs == list(range(1, int(sys.argv[2]) + 1)) else 1)
EOF
}
no_leftovers() { [[ -z "$(find "$1" -name '.*.tmp*' -o -name '.*.old-*' -o -name '.*staging-*' | head -1)" ]]; }

# kill9 AFTER COMMAND...: starts the command, SIGKILLs its java process AFTER seconds later. With
# WAIT_FOR=PATH in the environment the AFTER seconds count from when PATH appears (at most $limit s): on a
# loaded machine the JVM's start-up alone can outlast AFTER, and a kill before the command has begun its
# work tests nothing.
kill9() {
  local after="$1"; shift
  "$@" > /dev/null 2>&1 &
  local launcher=$! java=""
  for _ in $(seq 1 200); do java=$(pgrep -P "$launcher" java) && break; sleep 0.05; done
  if [[ -n "${WAIT_FOR:-}" ]]; then
    for _ in $(seq 1 $((limit * 10))); do [[ -e "$WAIT_FOR" ]] && break; kill -0 "$launcher" 2> /dev/null || break; sleep 0.1; done
  fi
  sleep "$after"
  [[ -n "$java" ]] && kill -9 "$java" 2> /dev/null
  wait "$launcher" 2> /dev/null
}

garble() { # flips 64 bytes a third of the way into the file
  python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); n=len(b)
for i in range(n//3, min(n, n//3+64)): b[i]^=0x5a
open(p,'wb').write(b)" "$1"
}

# damage HOW FILE: delete, empty, half (truncated to half its size) or garble one file.
damage() {
  case "$1" in
    delete) rm -f "$2" ;;
    empty) : > "$2" ;;
    half) truncate -s $(( $(stat -c %s "$2") / 2 )) "$2" ;;
    garble) garble "$2" ;;
  esac
}

random_seconds() { echo "$(( RANDOM % ($1 * 10) / 10 )).$(( RANDOM % 10 ))"; }

train_args=(--train-per-class 20 --epochs 3 --batch-size 16 --threads 2 --prompt msvp)
model=ref-model/1  # section 0 exports ref into ref-model

if wanted 0; then
  section 0 "reference runs"
  rm -rf ref ref-model
  judge "train reference" "$vprompt" train "${train_args[@]}" --out ref
  judge "export reference" "$vprompt" export --run ref --out ref-model --verify-images 32
  [[ -f ref/summary.json && -f ref-model/1/saved_model.pb ]] || { end_section
    note "section 0 made no reference run or model: the other sections would test nothing; stopping"; exit 1; }
fi

if wanted 1; then
  section 1 "kill -9 at random moments, then resume"
  rm -rf killed-* sweep sweep.yaml
  for k in $(seq 1 "$kills"); do
    run="killed-$k"
    WAIT_FOR="$run/config.json" kill9 "$(random_seconds 20)" "$vprompt" train "${train_args[@]}" --out "$run"
    [[ -f "$run/config.json" ]] && note "  kill $k came after $(cat "$run/metrics.jsonl" 2> /dev/null | grep -c .) of 3 epochs"
    [[ -f "$run/config.json" ]] || { note "  kill $k came before config.json: a fresh start"; rm -rf "$run";
      judge "train again after an early kill $k" "$vprompt" train "${train_args[@]}" --out "$run"; }
    kill9 "$(random_seconds 15)" "$vprompt" train --resume --out "$run"
    judge "resume after kill $k" "$vprompt" train --resume --out "$run"
    check "$run bit-identical to ref" same_file ref/checkpoints/last/model.data-00000-of-00001 \
      "$run/checkpoints/last/model.data-00000-of-00001"
    check "$run metrics epochs once" epochs_once "$run/metrics.jsonl" 3
    check "$run no leftovers" no_leftovers "$run"
    kill9 "$(random_seconds 12)" "$vprompt" export --run ref --out "killed-model-$k" --verify-images 32
    judge "export after killed export $k" "$vprompt" export --run ref --out "killed-model-$k" --verify-images 32
    check "killed-model-$k version 1 only, no staging" bash -c "[[ \$(ls killed-model-$k) == 1 ]] && \
      [[ -z \$(find killed-model-$k -maxdepth 1 -name '.*staging*') ]]"
  done
  cat > sweep.yaml <<'EOF'
datasets: [embedded]
backbones: [cnn]
prompts: [none, msvp]
seeds: [1]
epochs: 2
train:
  train-per-class: 10
  batch-size: 16
  threads: 2
EOF
  kill9 "$(random_seconds 30)" "$vprompt" sweep sweep.yaml --out sweep
  kill9 "$(random_seconds 20)" "$vprompt" sweep sweep.yaml --out sweep
  judge "sweep after two kills" "$vprompt" sweep sweep.yaml --out sweep
  for r in sweep/*/; do check "$r metrics epochs once" epochs_once "$r/metrics.jsonl" 2; done
fi

if wanted 2; then
  section 2 "corruption matrix over a finished run"
  files=(config.json metrics.jsonl summary.json checkpoints/last/state.json checkpoints/last/model.index
    checkpoints/last/model.data-00000-of-00001 checkpoints/best/state.json checkpoints/best/model.index
    checkpoints/best/model.data-00000-of-00001)
  for f in "${files[@]}"; do
    for how in delete empty half garble; do
      for cmd in eval resume export; do
        case_dir="corrupt-run"; rm -rf "$case_dir" corrupt-model; cp -r ref "$case_dir"; rm -f "$case_dir/.vprompt.lock"
        damage "$how" "$case_dir/$f"
        snapshot=$(cd "$case_dir" && find . -type f ! -name .vprompt.lock ! -path "./$f" -exec md5sum {} + | sort -k2)
        case $cmd in
          eval) judge "$f $how: eval" "$vprompt" eval --run "$case_dir" --threads 2 ;;
          resume) judge "$f $how: train --resume" "$vprompt" train --resume --out "$case_dir" ;;
          export) judge "$f $how: export" "$vprompt" export --run "$case_dir" --out corrupt-model --verify-images 16 ;;
        esac
        check "$f $how $cmd: other files intact" bash -c "cd '$case_dir' && echo '$snapshot' | md5sum --quiet -c - \
          > /dev/null 2>&1 || [[ -z '$snapshot' ]]"
      done
    done
  done
fi

if wanted 3; then
  section 3 "corruption matrix over an exported model"
  for f in saved_model.pb variables/variables.index variables/variables.data-00000-of-00001 assets/classes.txt; do
    for how in delete empty half garble; do
      rm -rf bad-model; cp -r "$model" bad-model
      damage "$how" "bad-model/$f"
      judge "$f $how: inspect --strict" "$vprompt" inspect bad-model --strict
      judge "$f $how: predict" "$vprompt" predict bad-model --threads 2 fashion-mnist:"$home/testdata/fashion-mnist-small"
    done
  done
  rm -rf bad-model; cp -r "$model" bad-model; printf 'a\nb\nc\n' > bad-model/assets/classes.txt
  judge "classes.txt with 3 names: inspect --strict" "$vprompt" inspect bad-model --strict
fi

if wanted 4; then
  section 4 "bombs and malformed inputs"
  rm -rf hostile bomb-run
  python3 - "$work/hostile" <<'EOF'
import os, random, struct, sys, zlib, gzip
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
def png(w, h, depth, colour, rows, noise=False):
    z = zlib.compressobj(9)
    size = (w * depth * (3 if colour == 2 else 1) + 7) // 8
    noisy = random.Random(1)
    row = lambda: b'\0' + (bytes(noisy.getrandbits(8) for _ in range(size)) if noise else bytes(size))
    data = b''.join(z.compress(row()) for _ in range(rows)) + z.flush()
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, colour, 0, 0, 0))
            + chunk(b'IDAT', data) + chunk(b'IEND', b''))
open(f'{out}/bomb-40000.png', 'wb').write(png(40000, 40000, 8, 2, 40000))   # really inflates to 4.8 GB
open(f'{out}/one-bit.png', 'wb').write(png(28, 28, 1, 0, 28))
open(f'{out}/empty.png', 'wb').write(b'')
open(f'{out}/random.png', 'wb').write(os.urandom(4096))
noise = png(28, 28, 8, 0, 28, noise=True)   # incompressible rows: cut at half, the pixel data itself is cut
open(f'{out}/truncated.png', 'wb').write(noise[:len(noise) // 2])
# an IDX set whose train images claim 2,000,000 x 28 x 28 and really inflate to it (1.57 GB)
idx = f'{out}/idx-bomb'
os.makedirs(idx, exist_ok=True)
with gzip.open(f'{idx}/train-images-idx3-ubyte.gz', 'wb', compresslevel=1) as f:
    f.write(struct.pack('>IIII', 0x803, 2_000_000, 28, 28))
    block = bytes(28 * 28 * 10000)
    for _ in range(200):
        f.write(block)
for name, n in (('train-labels-idx1-ubyte.gz', 2_000_000), ('t10k-labels-idx1-ubyte.gz', 10)):
    with gzip.open(f'{idx}/{name}', 'wb') as f:
        f.write(struct.pack('>II', 0x801, n) + bytes(n))
with gzip.open(f'{idx}/t10k-images-idx3-ubyte.gz', 'wb') as f:
    f.write(struct.pack('>IIII', 0x803, 10, 28, 28) + bytes(7840))
# an IDX whose header claims one image and which inflates to 1 GB
small = f'{out}/idx-surplus'
os.makedirs(small, exist_ok=True)
with gzip.open(f'{small}/train-images-idx3-ubyte.gz', 'wb', compresslevel=1) as f:
    f.write(struct.pack('>IIII', 0x803, 1, 28, 28))
    block = bytes(1 << 24)
    for _ in range(64):
        f.write(block)
for name in ('train-labels-idx1-ubyte.gz', 't10k-labels-idx1-ubyte.gz'):
    with gzip.open(f'{small}/{name}', 'wb') as f:
        f.write(struct.pack('>II', 0x801, 1) + bytes(1))
with gzip.open(f'{small}/t10k-images-idx3-ubyte.gz', 'wb') as f:
    f.write(struct.pack('>IIII', 0x803, 1, 28, 28) + bytes(784))
# a folder dataset with the PNG bomb in it
for split in ('train', 'test'):
    os.makedirs(f'{out}/folder/{split}/a', exist_ok=True)
    open(f'{out}/folder/{split}/a/x.png', 'wb').write(png(28, 28, 8, 0, 28))
open(f'{out}/folder/train/a/bomb.png', 'wb').write(open(f'{out}/bomb-40000.png', 'rb').read())
EOF
  for image in bomb-40000.png one-bit.png empty.png random.png truncated.png; do
    judge "predict $image" "$vprompt" predict "$model" --threads 2 "hostile/$image"
  done
  judge "data info idx bomb (claims 1.57 GB)" "$vprompt" data info "idx:hostile/idx-bomb"
  judge "data info idx surplus (1 GB behind one image)" "$vprompt" data info "idx:hostile/idx-surplus"
  judge "data info folder with a PNG bomb" "$vprompt" data info "folder:hostile/folder"
  judge "train on the folder with a PNG bomb" "$vprompt" train --data "folder:hostile/folder" --out bomb-run
  check "no run directory left by the refused train" bash -c "[[ ! -e bomb-run ]]"
fi

if wanted 5; then
  section 5 "two writers at once"
  rm -rf twice twice-model twice-a.log twice-model.log
  cp -r ref twice; rm -f twice/.vprompt.lock
  python3 -c "import json; p='twice/config.json'; c=json.load(open(p)); c['training']['epochs']=6; json.dump(c, open(p,'w'), indent=2)"
  "$vprompt" train --resume --out twice > twice-a.log 2>&1 &
  first=$!
  for _ in $(seq 1 600); do [[ -s twice/.vprompt.lock ]] && grep -q . twice/.vprompt.lock && pgrep -P "$first" java > /dev/null && break; sleep 0.1; done
  sleep 2
  judge "second train --resume while one runs" "$vprompt" train --resume --out twice
  judge "eval while a train runs" "$vprompt" eval --run twice
  wait "$first"
  check "twice: metrics epochs 1..6 once each" epochs_once twice/metrics.jsonl 6
  "$vprompt" export --run ref --out twice-model --verify-images 32 > twice-model.log 2>&1 &
  first=$!
  sleep 3
  judge "second export into the same model directory" "$vprompt" export --run ref --out twice-model --verify-images 32
  wait "$first"
  check "twice-model: whole versions only" bash -c "for v in twice-model/*/; do [[ -f \$v/saved_model.pb ]] || exit 1; done"
fi

if wanted 6; then
  section 6 "a full disk"
  umount full 2> /dev/null; rm -rf full full-copy
  if [[ $(id -u) == 0 ]] && mkdir -p full && mount -t tmpfs -o size=36m tmpfs full 2> /dev/null; then
    judge "train into a 36 MB tmpfs" "$vprompt" train "${train_args[@]}" --out full/run
    check "full: no temp files left" no_leftovers full
    if [[ -f full/run/config.json ]]; then
      cp -r full/run full-copy; rm -f full-copy/.vprompt.lock
      judge "resume the full-disk run elsewhere" "$vprompt" train --resume --out full-copy
      check "full-copy bit-identical to ref" same_file ref/checkpoints/last/model.data-00000-of-00001 \
        full-copy/checkpoints/last/model.data-00000-of-00001
    fi
    judge "export into the full tmpfs" "$vprompt" export --run ref --out full/model --verify-images 16
    # dd fills what is left (its own "No space left" is silenced: the judged stderr must be vprompt's alone)
    judge "export into the full tmpfs (filled to the last byte)" bash -c "rm -rf full/run; dd if=/dev/zero of=full/fill \
      bs=1M status=none 2> /dev/null; exec '$vprompt' export --run ref --out full/model --verify-images 16"
    check "full: no staging left" no_leftovers full
    umount full
  else
    note "  skipped: needs root to mount a tmpfs"
  fi
fi

[[ -n "$current" ]] && end_section
note ""
note "SECTIONS=$sections: tried $tried: ok $ok, clear errors $clear, unclear errors $unclear, stack traces $traces, aborts $aborts, hangs $hangs; data-lost checks failed $lost of $checked"
note "log: $log"
[[ $((unclear + traces + aborts + hangs + lost)) == 0 ]]
