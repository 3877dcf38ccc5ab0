#!/usr/bin/env bash
# Resident memory of two loopback workers ('vprompt worker' on 127.0.0.1), the training split replicated
# and then sharded (docs/distributed.md, "Sharded worker data"). For each mode: start two fresh workers,
# train the cnn on them, read each worker's VmHWM and VmRSS from /proc when idle, once the client reports
# the data loaded and SECONDS later, stop the client with SIGINT (a clean stop) and the workers with SIGTERM.
#
#   scripts/worker-memory.sh [DATA] [SECONDS]     default: fashion-mnist:/usr/share/datasets/fashion-mnist 30
#
# Needs a build (mvn -q -DskipTests package). Prints one line per mode and worker.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-fashion-mnist:/usr/share/datasets/fashion-mnist}"
seconds="${2:-30}"
work="$(mktemp -d)"
java_command=(java -Xmx2g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dorg.bytedeco.javacpp.maxBytes=0
  -Djava.awt.headless=true -cp "$home/cli/target/vprompt-cli.jar:$home/cli/target/lib/*" dev.vprompt.cli.Main)
export TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=1

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

await() {  # FILE TEXT: wait up to 300 s for TEXT in FILE
  for _ in $(seq 3000); do
    grep -q "$2" "$1" 2> /dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1" >&2
  return 1
}

memory() {  # PID: "VmHWM ... kB, VmRSS ... kB"
  awk '/^VmHWM|^VmRSS/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$1/status"
}

for mode in replicated sharded; do
  echo "{\"worker\": [\"127.0.0.1:$(free_port)\", \"127.0.0.1:$(free_port)\"]}" > "$work/cluster-$mode.json"
  pids=()
  for task in 0 1; do
    "${java_command[@]}" worker --cluster "$work/cluster-$mode.json" --task "$task" --threads 1 \
      > "$work/worker-$mode-$task.log" 2>&1 &
    pids+=($!)
  done
  await "$work/worker-$mode-0.log" "serving at"
  await "$work/worker-$mode-1.log" "serving at"
  idle=("$(memory "${pids[0]}")" "$(memory "${pids[1]}")")
  "${java_command[@]}" train --cluster "$work/cluster-$mode.json" --worker-data "$mode" --data "$data" \
    --backbone cnn --prompt msvp --epochs 1 --threads 1 --tensorboard off --out "$work/run-$mode" \
    > "$work/train-$mode.log" 2>&1 &
  client=$!
  await "$work/train-$mode.log" "worker data:"
  loaded=("$(memory "${pids[0]}")" "$(memory "${pids[1]}")")
  sleep "$seconds"
  for task in 0 1; do
    echo "$mode worker $task: idle ${idle[$task]}| data loaded ${loaded[$task]}| after ${seconds} s of training $(memory "${pids[$task]}")"
  done
  grep "worker data:" "$work/train-$mode.log"
  kill -INT "$client"
  wait "$client" || true
  kill "${pids[@]}"
  wait "${pids[@]}" 2> /dev/null || true
done
echo "logs: $work"
