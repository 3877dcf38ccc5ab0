#!/usr/bin/env bash
# Every prompt on a frozen ViT-B/16 at 224x224 (issue 14, "Measure"), one process at a time:
#
#   1. per prompt, one `vprompt bench` process timing the prompted training step against the linear probe
#      (no prompt, same frozen backbone, same batch) in interleaved rounds: their ratio is measured in one
#      process; and `vprompt params` for the prompt's parameter counts;
#   2. LoTeP's Table 4 comparison: lotep-cp, lotep-tk and lor-vp, the training step and inference each in a
#      process of its own (`--only` one configuration), so that each peak memory (VmHWM) is that
#      configuration's; latency in ms per batch is batch / (median images/s).
#
#   scripts/bench-prompts-vit-b16.sh OUT_DIR
#
# Environment: BATCH (default 8), CLASSES (200, Tiny-ImageNet's, as LoTeP's Table 4), STEPS (1), WARMUP (1),
# ROUNDS (3), NICE (10), PROMPTS (the list below), TABLE4 (lotep-cp lotep-tk lor-vp), SKIP_TABLE4=1 to skip
# part 2, PARAMS_ONLY=1 to count parameters only (and skip part 2), SUMMARY_ONLY=1 to only tabulate OUT_DIR. Runs add to OUT_DIR's files; the summary
# covers every prompt of PROMPTS and TABLE4 and marks what OUT_DIR has no measurement of. Random weights:
# throughput does not depend on their values. Each process's JSON is kept in OUT_DIR
# with the load average (`uptime`) before and after it, and summary.md holds the tables. Needs a build:
# mvn -q -DskipTests package
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/bench-prompts-vit-b16.sh OUT_DIR}"
mkdir -p "$out"
batch="${BATCH:-8}"
classes="${CLASSES:-200}"
steps="${STEPS:-1}"
warmup="${WARMUP:-1}"
rounds="${ROUNDS:-3}"
nice="${NICE:-10}"
read -r -a prompts <<< "${PROMPTS:-lor-vp lotep-cp lotep-tk vp-pad msvp grouped-vp grouped-lor-vp deep-lor-vp insvp lora}"
read -r -a table4 <<< "${TABLE4:-lotep-cp lotep-tk lor-vp}"

# VP's frame of 30 pixels at 224x224 (the default, 4, is VP's frame scaled to 32x32); the others keep their defaults
options() {
  case "$1" in
    vp-pad) echo "--pad-width 30" ;;
    *) echo "" ;;
  esac
}

common=(--backbone vit-b16 --input 224x224x3 --classes "$classes" --freeze backbone)
vprompt() {
  nice -n "$nice" "$home/bin/vprompt" "$@"
}

for prompt in "${prompts[@]}"; do
  [[ "${SUMMARY_ONLY:-0}" == 1 ]] && continue
  # shellcheck disable=SC2046
  vprompt params "${common[@]}" --prompt "$prompt" $(options "$prompt") --json > "$out/$prompt.params.json"
  [[ "${PARAMS_ONLY:-0}" == 1 ]] && continue
  uptime > "$out/$prompt.uptime"
  echo "$(date -u +%H:%M:%S) bench $prompt vs the linear probe" >&2
  # shellcheck disable=SC2046
  vprompt bench "${common[@]}" --prompt "$prompt" $(options "$prompt") --batch-size "$batch" --steps "$steps" \
    --warmup "$warmup" --rounds "$rounds" --gemm-size 0 --only train_pipeline_prompted,train_pipeline_baseline \
    --json > "$out/$prompt.bench.json" || echo "bench $prompt failed: exit $?" >&2
  uptime >> "$out/$prompt.uptime"
done

if [[ "${SKIP_TABLE4:-0}" != 1 && "${PARAMS_ONLY:-0}" != 1 && "${SUMMARY_ONLY:-0}" != 1 ]]; then
  for prompt in "${table4[@]}"; do
    for config in train_pipeline_prompted infer_prompted; do
      uptime > "$out/$prompt.$config.uptime"
      echo "$(date -u +%H:%M:%S) bench $prompt $config alone" >&2
      # shellcheck disable=SC2046
      vprompt bench "${common[@]}" --prompt "$prompt" $(options "$prompt") --batch-size "$batch" --steps "$steps" \
        --warmup "$warmup" --rounds "$rounds" --gemm-size 0 --only "$config" --json > "$out/$prompt.$config.json" \
        || echo "bench $prompt $config failed: exit $?" >&2
      uptime >> "$out/$prompt.$config.uptime"
    done
  done
fi

python3 - "$out" "$batch" "${prompts[*]}" "${table4[*]}" > "$out/summary.md" <<'EOF'
import json, os, sys
out, batch, prompts, table4 = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split()
def load(name):
    path = os.path.join(out, name)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    with open(path) as f:
        return json.load(f)
def loads(name):
    with open(os.path.join(out, name)) as f:
        return " / ".join(line.split("load average:")[1].strip() for line in f if "load average:" in line)
print("| prompt | training images/s, prompted | linear probe | prompted / linear probe | images per CPU-s, prompted / probe "
      "| prompt parameters | trainable (prompt + head) | peak RSS MiB (both graphs) | load average before / after |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for p in prompts:
    b, c = load(p + ".bench.json"), load(p + ".params.json")
    if b is None:
        print(f"| {p} | not measured | | | | {c['params_prompt']:,} | {c['params_trainable']:,} | | |")
        continue
    ips, cpu = b["images_per_sec"], b["images_per_cpu_sec"]
    prm, base = ips["train_pipeline_prompted"], ips["train_pipeline_baseline"]
    cpu_ratio = cpu["train_pipeline_prompted"] / cpu["train_pipeline_baseline"]
    print(f"| {p} | {prm:.3f} | {base:.3f} | {b['ratios']['train_prompted_over_baseline']:.3f} | {cpu_ratio:.3f} "
          f"| {c['params_prompt']:,} | {c['params_trainable']:,} | {b['peak_rss_mib']:,} | {loads(p + '.uptime')} |")
if any(load(p + ".train_pipeline_prompted.json") or load(p + ".infer_prompted.json") for p in table4):
    print()
    print(f"| prompt | training step, ms per batch of {batch} | its CPU-ms | peak RSS MiB | inference, ms per batch of {batch} "
          "| its CPU-ms | peak RSS MiB | prompt parameters |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for p in table4:
        c = load(p + ".params.json")
        cells = []
        for config, doc in (("train_pipeline_prompted", load(p + ".train_pipeline_prompted.json")),
                            ("infer_prompted", load(p + ".infer_prompted.json"))):
            if doc is None:
                cells += ["not measured", "", ""]
            else:
                cells += [f"{1000 * batch / doc['images_per_sec'][config]:,.0f}",
                          f"{1000 * batch / doc['images_per_cpu_sec'][config]:,.0f}", f"{doc['peak_rss_mib']:,}"]
        params = f"{c['params_prompt']:,}" if c else ""
        print(f"| {p} | " + " | ".join(cells) + f" | {params} |")
EOF
cat "$out/summary.md"
