#!/usr/bin/env bash
# The papers' presets end to end at toy scale (issue 14): each preset of presets/ named below runs with --set
# overrides to a tiny imported fixture (testdata/pretrained, through `vprompt import`) and the embedded
# Fashion-MNIST subset, one epoch, two training images per class, one seed. It proves the files, their keys
# and every method in them run; the figures mean nothing.
#
#   scripts/presets-toy.sh [OUT]            # default OUT: runs/presets-toy
#
# The ViT presets take the Swin fixture here: the ViT fixture's patch (8) does not divide the embedded 28x28
# images, and vprompt has no in-graph resize yet; Swin has attention, so LoRA runs on it, and InsVP runs at
# image level (its feature prompts need a ViT). ResNet presets take the ResNet fixture.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
vprompt="${VPROMPT:-bin/vprompt}"
out="${1:-runs/presets-toy}"
mkdir -p "$out"

import() { # NAME ARCH FIXTURE
  [[ -f "$out/$1/config.json" ]] || "$vprompt" import --arch "$2" --weights "testdata/pretrained/$3.safetensors" \
    --input 28x28x1 --out "$out/$1"
}
import resnet resnet resnet-basic-test
import swin swin swin-test
resnet='resnet(block=basic,layers=1-1-1-1,channels=8-16-32-64)'
swin='swin(patch=2,window=4,dim=16,depths=2-2,heads=2-4)'
toy=(--set datasets=embedded --set epochs=1 --set seeds=42 --set train_per_class=2 --set batch_size=8
  --set threads=2)

sweep() { # PRESET BACKBONE SOURCE [MORE --set]
  local preset="$1" backbone="$2" source="$3"; shift 3
  echo "== $preset on $backbone"
  "$vprompt" sweep "presets/$preset.yaml" --out "$out/$preset" "${toy[@]}" --set "backbones=$backbone" \
    --set "init_from=$out/$source" "$@"
}
sweep lotep-table2-resnet18 "$resnet" resnet
sweep lotep-table2-vit-b32 "$swin" swin
sweep lotep-table1-vit-b16 "$swin" swin
sweep insvp-cifar100-vit-b16 "$swin" swin --set insvp_level=image
sweep lor-vp-tiny-imagenet-vit-b16 "$swin" swin
for preset in lotep-table2-resnet18 lotep-table2-vit-b32 lotep-table1-vit-b16 insvp-cifar100-vit-b16 \
    lor-vp-tiny-imagenet-vit-b16; do
  echo "$preset: $(ls "$out/$preset"/*/summary.json | wc -l) runs finished"
done
