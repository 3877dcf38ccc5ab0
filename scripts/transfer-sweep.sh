#!/usr/bin/env bash
# The frozen-backbone transfer experiment of issue 12, every method under its own paper's protocol:
#
#   scripts/transfer-sweep.sh [BACKBONE]          # vit-tiny (default) or resnet18
#
# 1. a Fashion-MNIST subset, the first 300 training and 100 test images of each class (SubsetWriter);
# 2. the source model: BACKBONE trained from scratch on classes 0-4 (MSVP protocol, SOURCE_EPOCHS, 15: after 3
#    epochs ResNet-18's validation accuracy was still at chance, its batch-norm statistics behind its weights);
# 3. presets/transfer-fashion-mnist.yaml (presets/transfer-fashion-mnist-resnet18.yaml for resnet18, without the
#    prompts that need a ViT) on classes 5-9 from that source, 3 seeds, SHARDS processes (1);
# 4. vprompt report into docs/report/transfer-BACKBONE.
# Environment: VPROMPT (launcher), FASHION_MNIST (the full IDX files), SOURCE_EPOCHS, SHARDS.
# Finished runs are skipped and stopped ones resumed, so the script can be started again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

backbone="${1:-vit-tiny}"
vprompt="${VPROMPT:-bin/vprompt}"
full="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
data=runs/data/fashion-mnist-300-100
source="runs/transfer/source-$backbone"
shards="${SHARDS:-1}"
preset=presets/transfer-fashion-mnist.yaml
[[ -f "presets/transfer-fashion-mnist-$backbone.yaml" ]] && preset="presets/transfer-fashion-mnist-$backbone.yaml"

[[ -f cli/target/vprompt-cli.jar ]] || mvn -q -DskipTests package
if [[ ! -f "$data/t10k-labels-idx1-ubyte.gz" ]]; then
  java -cp "core/target/classes:cli/target/lib/*" dev.vprompt.core.data.SubsetWriter "$full" "$data" 300 100
fi
if [[ ! -f "$source/summary.json" ]]; then
  resume=(); [[ -f "$source/config.json" ]] && resume=(--resume)
  "$vprompt" train --data "fashion-mnist:$data" --data-classes 0-4 --backbone "$backbone" --prompt none \
    --epochs "${SOURCE_EPOCHS:-15}" --seed 42 --out "$source" "${resume[@]}"
fi
for ((k = 0; k < shards; k++)); do
  "$vprompt" sweep "$preset" --out "runs/transfer/$backbone" --set "backbones=$backbone" \
    --set "init_from=$source" --set threads=1 --shard "$k/$shards" > "runs/transfer/$backbone-shard$k.log" 2>&1 &
done
wait
"$vprompt" report "runs/transfer/$backbone" --out "docs/report/transfer-$backbone"
