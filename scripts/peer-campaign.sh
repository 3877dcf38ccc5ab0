#!/usr/bin/env bash
# The side-by-side of docs/performance.md: vprompt against the PyTorch-through-DJL peer (peers/djl-torch)
# on the same machine, one heavy process at a time, interleaved per model, PASSES times over.
#
#   scripts/peer-campaign.sh [OUT_DIR]       (environment: PASSES=2, MODELS="cnn vit-tiny resnet18")
#
# Per model and pass: the peer's training step (fixed batch 128, AdamW) and inference (batch 1 and 256);
# then `vprompt bench` (training with and without MSVP, the fixed-batch step, inference at 256, with the
# ratio to the peer's lines) and its batch-1 inference. Needs a build (mvn -q -DskipTests package) and
# a quiet machine: on a shared one every ratio between two processes moves by tens of percent.
set -uo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$home/runs/peer-campaign}"
mkdir -p "$out"
vprompt="$home/bin/vprompt"
pom="$home/peers/djl-torch/pom.xml"
peer=(mvn -q -o -f "$pom")
log() { echo "# $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) :: $*" | tee -a "$out/campaign.log"; }

mvn -q -f "$pom" compile   # online, in case DJL and libtorch's jar are not in ~/.m2 yet
for ((pass = 1; pass <= ${PASSES:-2}; pass++)); do
  for model in ${MODELS:-cnn vit-tiny resnet18}; do
    name=$model; [[ $model == cnn ]] && name=simple
    # steps per model: about 10-20 s of timed work each on a 2-core machine
    case $model in cnn) w=5 s=20 vs=10 vw=3 ;; vit-tiny) w=3 s=12 vs=6 vw=2 ;; *) w=2 s=6 vs=3 vw=1 ;; esac
    p="$out/djl-$model-$pass.log"
    "${peer[@]}" exec:exec -Dbench=train -Dmodel=$name -Dinput=28x28x1 -Dbatch=128 -Dwarmup=$w -Dsteps=$s 2>&1 \
      | grep -E '^(RESULT|INFO)' > "$p"
    log "peer train $model"; grep RESULT "$p" | tee -a "$out/campaign.log"
    "${peer[@]}" exec:exec -Dbench=infer -Dmodel=$name -Dinput=28x28x1 \
      -Dextra="-Dinfer.batches=1,256 -Dinfer.iters.b1=100 -Dinfer.iters=5" 2>&1 | grep -E '^(RESULT|INFO)' >> "$p"
    log "peer infer $model"; grep 'task=infer' "$p" | tee -a "$out/campaign.log"
    "$vprompt" bench --backbone $model --prompt msvp --threads 2 --batch-size 128 --infer-batch 256 \
      --steps $vs --warmup $vw --rounds 3 --peer "$p" > "$out/vprompt-$model-$pass.txt" 2>&1
    log "vprompt bench $model (exit $?)"
    "$vprompt" bench --backbone $model --prompt msvp --threads 2 --only infer --infer-batch 1 --steps 100 \
      --warmup 20 --rounds 3 --peer "$p" > "$out/vprompt-b1-$model-$pass.txt" 2>&1
    log "vprompt bench batch 1 $model (exit $?)"
  done
done
