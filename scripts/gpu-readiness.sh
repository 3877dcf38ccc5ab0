#!/usr/bin/env bash
# Which ops of every backbone x prompt's training step and serving graph lack a GPU kernel, checked
# against the GPU build of TensorFlow's native library (which loads on machines without a GPU).
# Downloads tensorflow-core-native:linux-x86_64-gpu (526 MB) from Maven Central on first use.
# Usage: scripts/gpu-readiness.sh [--backbones cnn,resnet18] [--prompts msvp,insvp] [--input 32x32x3] [--all]
# The default backbones are the small named ones and a tiny configuration of each pretrained family (the
# same op types as their full-size variants); every named backbone at full size (ViT-B/16, Swin-B,
# ConvNeXt-B, ...; not finished in 62 min on a loaded 2-core machine): --backbones all, or name them,
# e.g. --backbones vit-b16,swin-b (commas inside a configuration's parentheses do not split)
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$home"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
# Compile with the GPU profile and ask Maven for the cli module's classpath: sibling modules resolve to
# their target/classes, the native library to the GPU jar. Nothing is installed or repackaged. (test-compile:
# at compile, the reactor cannot resolve the ops test jar that graph depends on.)
mvn -B -q -Pgpu -pl cli -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime >&2
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-3}"
exec java -Xmx2g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0 \
  -cp "$home/cli/target/classes:$(cat "$cp_file")" dev.vprompt.cli.Main gpu-readiness "$@"
