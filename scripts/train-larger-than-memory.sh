#!/usr/bin/env bash
# Demonstrates training on a sharded dataset larger than the memory the run may use: generates a
# seeded dataset of GB gigabytes of frames (variations of data/words/dev.pkl, written straight to
# shards), then trains on it inside a memory cgroup limited to LIMIT, and prints the peak resident
# memory, the cgroup's peak (which counts the page cache too), steps and throughput.
#
#   bash scripts/train-larger-than-memory.sh [DIR] [GB] [LIMIT] [STEPS]
#   defaults:  /tmp/hybridsign-large 2.2 1G 200
#
# Needs root (or a delegated cgroup) to make the cgroup: systemd-run --scope when systemd runs,
# else a child of this shell's cgroup (v2 memory.max, or v1 memory.limit_in_bytes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir=${1:-/tmp/hybridsign-large}
gigabytes=${2:-2.2}
limit=${3:-1G}
steps=${4:-200}
# HYBRIDSIGN_BIN: a hybridsign built without -enable-testing (the test build trains ~3× slower).
bin=${HYBRIDSIGN_BIN:-$root/.build/release/hybridsign}
[ -n "${HYBRIDSIGN_BIN:-}" ] || (cd "$root" && swift build -c release --product hybridsign)

if [ ! -f "$dir/index.json" ]; then
  echo "generating $gigabytes GB of frames in $dir"
  (cd "$root" && nice -n 10 "$bin" bench shards "$dir" --generate --gigabytes "$gigabytes" --seed 1 --no-pass --reads 100)
fi
du -sh "$dir"

bytes=$(numfmt --from=iec "$limit")
run=(nice -n 10 /usr/bin/time -v "$bin" train --data "$dir" --preset small --steps "$steps" --batch 8
     --log-every 20 --checkpoint-every 100000 --out "$dir.model.safetensors")
log=$(mktemp)
cgroup=""
if command -v systemd-run >/dev/null && [ -d /run/systemd/system ]; then
  systemd-run --scope --quiet -p MemoryMax="$limit" -p MemorySwapMax=0 "${run[@]}" 2>&1 | tee "$log"
else
  self=$(awk -F: '$2 == "memory" || ($1 == "0" && $2 == "") {print $3; exit}' /proc/self/cgroup)
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    cgroup=/sys/fs/cgroup$self/hybridsign-large-$$
    mkdir "$cgroup"; echo "$bytes" > "$cgroup/memory.max"; peak_file=memory.peak
  else
    cgroup=/sys/fs/cgroup/memory$self/hybridsign-large-$$
    mkdir "$cgroup"; echo "$bytes" > "$cgroup/memory.limit_in_bytes"; peak_file=memory.max_usage_in_bytes
  fi
  trap 'rmdir "$cgroup" 2>/dev/null || true' EXIT
  sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$cgroup" "${run[@]}" 2>&1 | tee "$log"
  echo "cgroup $cgroup: limit $limit, peak $(numfmt --to=iec "$(cat "$cgroup/$peak_file")") (resident memory and page cache)"
fi
echo "dataset: $(du -sb "$dir" | cut -f1 | numfmt --to=iec) in $dir"
grep -E "Maximum resident set size|Elapsed \(wall clock\)|Exit status" "$log"
grep -E "^step $steps/" "$log" | tail -n 1
rm -f "$log"
