#!/usr/bin/env python3
"""The transfer sweep's tables for docs/results.md, from the runs' summary.json and config.json files.

    scripts/transfer-compare.py runs/transfer/vit-tiny [--pair A:B ...]

Runs are named as the transfer presets name them, DATASET-BACKBONE-LABEL-sSEED. For each label: protocol,
seeds, trainable parameters, test accuracy (best-validation and last checkpoints) as mean and sample sd over
seeds, the difference to the linear probe trained under the same protocol values (paired by seed, mean and
95% t interval, two-sided paired t-test p), and RMS(prompt) / RMS(activation) per prompted layer (best-val,
test images, mean over seeds). --pair A:B adds a paired difference of any two labels. `vprompt report` gives
the same per-cell figures; this adds the pairs that it does not form (method against method).
"""
import argparse
import json
import math
import os
import re
import statistics
import sys

from scipy import stats

# the linear probe each protocol's methods are compared with (its values equal the protocol's)
BASELINES = {"linear-probe": "linear-probe", "lor-vp": "linear-probe", "lotep": "linear-probe",
             "insvp": "linear-probe-insvp", "msvp": "linear-probe-msvp"}

# the order of the rows: the presets' (LoTeP's comparison, the ablation, InsVP's, MSVP's); others after, by name
ORDER = ["linear-probe", "full-ft", "lora", "lor-vp", "vp-pad", "lotep-cp", "lotep-tk", "grouped-vp",
         "grouped-lor-vp", "deep-lor-vp", "lotep-cp-constant", "lotep-cp-linear", "linear-probe-insvp", "insvp",
         "insvp-image", "linear-probe-msvp", "msvp"]


def load(root):
    runs = {}
    for name in sorted(os.listdir(root)):
        m = re.match(r"^[a-z0-9-]+?-(?:vit-tiny|resnet18)-(.+)-s(\d+)$", name)
        path = os.path.join(root, name)
        if not m or not os.path.isfile(os.path.join(path, "summary.json")):
            continue
        with open(os.path.join(path, "summary.json")) as f:
            summary = json.load(f)
        with open(os.path.join(path, "config.json")) as f:
            config = json.load(f)
        runs.setdefault(m.group(1), {})[int(m.group(2))] = (summary, config)
    rank = {label: i for i, label in enumerate(ORDER)}
    return dict(sorted(runs.items(), key=lambda kv: (rank.get(kv[0], len(ORDER)), kv[0])))


def interval(diffs):
    n = len(diffs)
    mean = statistics.mean(diffs)
    if n < 2:
        return mean, None, None
    sd = statistics.stdev(diffs)
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    p = 1.0 if sd == 0 and mean == 0 else (0.0 if sd == 0 else 2 * stats.t.sf(abs(mean) / (sd / math.sqrt(n)), n - 1))
    return mean, half, p


def spread(values):
    mean = statistics.mean(values)
    return f"{mean:.2f} ± {statistics.stdev(values):.2f}" if len(values) > 1 else f"{mean:.2f}"


def delta(a, b, key):
    seeds = sorted(set(a) & set(b))
    diffs = [100 * (a[s][0][key] - b[s][0][key]) for s in seeds]
    if not diffs:
        return "–", seeds
    mean, half, p = interval(diffs)
    if half is None:
        return f"{mean:+.2f} (n=1)", seeds
    return f"{mean:+.2f} [{mean - half:+.2f}, {mean + half:+.2f}] p={p:.2g}", seeds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root")
    parser.add_argument("--pair", action="append", default=[], help="A:B, the paired difference A - B")
    args = parser.parse_args()
    runs = load(args.root)
    if not runs:
        sys.exit(f"transfer-compare: no finished runs named DATASET-BACKBONE-LABEL-sSEED in {args.root}")
    print("| method | protocol | seeds | trainable params | test % best-val | test % last "
          "| Δ best-val vs linear probe, same protocol [95% CI] | Δ last [95% CI] | RMS(prompt)/RMS(activation) |")
    print("|---|---|---|---:|---|---|---|---|---|")
    for label, by_seed in runs.items():
        first = next(iter(by_seed.values()))
        protocol = first[1]["training"].get("protocol")
        freeze = first[1].get("transfer", {}).get("freeze")
        baseline = BASELINES.get(protocol)  # full fine-tuning too: against the probe of the same values
        best = [100 * s["test_acc_best"] for s, _ in by_seed.values()]
        last = [100 * s["test_acc_last"] for s, _ in by_seed.values()]
        if baseline == label or baseline is None:
            d_best = d_last = "(baseline)" if baseline == label else "–"
        elif baseline in runs:
            d_best, _ = delta(by_seed, runs[baseline], "test_acc_best")
            d_last, _ = delta(by_seed, runs[baseline], "test_acc_last")
        else:
            d_best = d_last = f"no {baseline} runs"
        layers = {}
        for s, _ in by_seed.values():
            for layer, ratio in (s.get("prompt_effect_best") or {}).items():
                layers.setdefault(layer, []).append(ratio)
        ratios = ", ".join(f"{k} {statistics.mean(v):.2g}" + (" **collapsed**" if statistics.mean(v) < 1e-4 else "")
                           for k, v in layers.items()) or "–"
        seeds = ",".join(str(k) for k in sorted(by_seed))
        print(f"| {label} | {protocol}{'' if freeze == 'backbone' else ', freeze ' + str(freeze)} | {seeds} "
              f"| {first[0]['params_trainable']:,} | {spread(best)} | {spread(last)} | {d_best} | {d_last} | {ratios} |")
    if args.pair:
        print()
        print("| comparison | Δ test % best-val [95% CI] | Δ last [95% CI] | seeds |")
        print("|---|---|---|---|")
    for pair in args.pair:
        a, b = pair.split(":")
        if a not in runs or b not in runs:
            print(f"| {a} − {b} | not run | | |")
            continue
        d_best, seeds = delta(runs[a], runs[b], "test_acc_best")
        d_last, _ = delta(runs[a], runs[b], "test_acc_last")
        print(f"| {a} − {b} | {d_best} | {d_last} | {','.join(map(str, seeds))} |")
    print()
    print("Per seed, test % best-val:")
    for label, by_seed in runs.items():
        print(f"- {label}: " + " / ".join(f"s{k} {100 * by_seed[k][0]['test_acc_best']:.1f}" for k in sorted(by_seed)))


if __name__ == "__main__":
    main()
