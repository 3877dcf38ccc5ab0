#!/usr/bin/env bash
# Latency of an exported prompted model against its exported baseline, through TensorFlow Java's
# SavedModelBundle and the serving_default signature: interleaved rounds, medians, ratio.
#
#   scripts/bench-export.sh [BASELINE_MODEL PROMPTED_MODEL] [--batches 1,32] [--rounds 21] [--calls 200] [--threads 2]
#
# Without the two model directories (version directories, e.g. models/NAME/1) it trains cnn without a
# prompt and cnn + MSVP (add) for one epoch on the embedded Fashion-MNIST subset, exports both into a
# temporary directory and measures those. Needs a build: mvn -q -DskipTests package
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$home/cli/target/vprompt-cli.jar"
lib="$home/cli/target/lib"
if [[ ! -f "$jar" || ! -d "$lib" ]]; then
  echo "vprompt is not built yet: (cd '$home' && mvn -q -DskipTests package)" >&2
  exit 1
fi

if [[ $# -ge 2 && "$1" != --* ]]; then
  baseline="$1"
  prompted="$2"
  shift 2
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  for prompt in none msvp; do
    echo "training and exporting cnn + $prompt (1 epoch, embedded subset) in $work" >&2
    "$home/bin/vprompt" train --epochs 1 --batch-size 32 --threads 2 --prompt "$prompt" --msvp-fusion add \
      --out "$work/runs/$prompt" >/dev/null
    "$home/bin/vprompt" export --run "$work/runs/$prompt" --out "$work/models/$prompt" --threads 2 >/dev/null
  done
  baseline="$work/models/none/1"
  prompted="$work/models/msvp/1"
fi

export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-3}"
# oneDNN kernels on, as bin/vprompt runs them (VPROMPT_ONEDNN=0 or TF_ENABLE_ONEDNN_OPTS=0: off)
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-${VPROMPT_ONEDNN:-1}}"
java ${VPROMPT_JAVA_OPTS:--Xmx2g} -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0 \
  -cp "$jar:$lib/*" dev.vprompt.export.bench.ServingLatency "$baseline" "$prompted" "$@"
