#!/usr/bin/env bash
# Runs the libFuzzer harnesses (Docs/fuzzing.md). Builds them first (Fuzz/build.sh).
#
# Usage: Fuzz/run.sh MODE [HARNESS...]   (default: every harness in Fuzz/Harnesses)
#   replay  runs every saved input in Fuzz/crashes/<harness>/ once; none may crash
#   smoke   replay, then fuzzes each harness for FUZZ_SECONDS (default 10) from its seeds
#   long    replay, then fuzzes each harness for FUZZ_RUNS executions (default 1000000) or
#           FUZZ_SECONDS seconds, whichever ends first (FUZZ_SECONDS defaults to no limit)
# Environment: FUZZ_SEED (default 1: runs are repeatable), FUZZ_ARGS (more libFuzzer options).
#
# Seeds are copied from the committed fixtures into .build/fuzz/seeds/<harness>/; what the fuzzer
# adds goes to .build/fuzz/corpus/<harness>/ (kept between runs); a crash, leak, timeout or
# out-of-memory input is written to .build/fuzz/artifacts/<harness>/ and fails the run.
# Prints one line per harness: executions, coverage (cov, ft) and the outcome.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode=${1:-}
case "$mode" in replay|smoke|long) shift ;; *) echo "usage: Fuzz/run.sh replay|smoke|long [HARNESS...]" >&2; exit 2 ;; esac
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for f in "$root"/Fuzz/Harnesses/*.swift; do harnesses+=("$(basename "$f" .swift)"); done
fi
bash "$root/Fuzz/build.sh" "${harnesses[@]}" || exit 1
out="$root/.build/fuzz"

# The committed inputs each harness starts from, and the longest input it is given (a seed that is
# longer is cut to it): long inputs slow every execution, and no parser check needs one.
max_len() {
  case "$1" in notebook|encoder_config) echo 4096 ;; json|shards|pose) echo 32768 ;; *) echo 65536 ;; esac
}
seeds() {
  case "$1" in
    pickle) ls "$root"/Tests/PoseDataTests/Fixtures/pickle/*.pkl* "$root"/Tests/NotebookTests/Fixtures/*.pkl ;;
    pose) ls "$root"/Tests/*/Fixtures/*.pose ;;
    json) ls "$root"/Tests/PoseDataTests/Fixtures/*.json "$root"/Tests/RenderTests/Fixtures/*.json ;;
    checkpoint) ls "$root"/Fuzz/seeds/checkpoint/*.safetensors "$root"/Tests/TensorsTests/Fixtures/*.safetensors \
                   "$root"/Tests/PoseDataTests/Fixtures/shards/*.safetensors ;;
    notebook) ls "$root"/Examples/*.hsl ;;
    tokenizer) ls "$root"/Tests/TextEncodersTests/Fixtures/*/tokenizer.json "$root"/Fuzz/seeds/tokenizer/*.json ;;
    encoder_config) ls "$root"/Tests/TextEncodersTests/Fixtures/*/config.json "$root"/Fuzz/seeds/encoder_config/*.json ;;
    shards) ls "$root"/Tests/PoseDataTests/Fixtures/shards/index.json "$root"/Tests/PoseDataTests/Fixtures/shards/shard-00000-*.safetensors ;;
    *) echo "Fuzz/run.sh: no seeds listed for harness '$1'" >&2; return 1 ;;
  esac
}

# Limits: anything that wants more than 1 GB of memory, or 10 s for one
# input, is a finding. (A declared size must be checked against the bytes behind it, so a small
# input never legitimately needs much memory.)
limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 -print_final_stats=1)
status=0
for h in "${harnesses[@]}"; do
  binary="$out/bin/$h"
  artifacts="$out/artifacts/$h"
  mkdir -p "$artifacts"
  crashes=("$root"/Fuzz/crashes/"$h"/*)
  if [ -e "${crashes[0]}" ]; then
    if "$binary" "${limits[@]}" -artifact_prefix="$artifacts/" "${crashes[@]}" >"$out/$h.replay.log" 2>&1; then
      echo "fuzz $h: replayed ${#crashes[@]} saved crash input(s), none crashed"
    else
      echo "fuzz $h: a saved input in Fuzz/crashes/$h crashed again; see $out/$h.replay.log" >&2
      tail -n 30 "$out/$h.replay.log" >&2
      status=1
      continue
    fi
  fi
  [ "$mode" = replay ] && continue
  rm -rf "$out/seeds/$h"
  mkdir -p "$out/seeds/$h" "$out/corpus/$h"
  seed_files=$(seeds "$h") || { status=1; continue; }
  # Prefixed with their directory: fixtures of different tests share names.
  for f in $seed_files; do
    seed="$out/seeds/$h/$(basename "$(dirname "$f")")-$(basename "$f")"
    if [ "$h" = shards ]; then
      # The harness reads its first byte as the mode: even, the rest is index.json; odd, a shard.
      case "$f" in *.json) printf '\000' ;; *) printf '\001' ;; esac >"$seed"
      cat "$f" >>"$seed"
    else
      cp "$f" "$seed"
    fi
  done
  budget=()
  if [ "$mode" = smoke ]; then
    budget=(-max_total_time="${FUZZ_SECONDS:-10}")
  else
    budget=(-runs="${FUZZ_RUNS:-1000000}")
    [ -n "${FUZZ_SECONDS:-}" ] && budget+=(-max_total_time="$FUZZ_SECONDS")
  fi
  log="$out/$h.$mode.log"
  # shellcheck disable=SC2086
  "$binary" "${limits[@]}" -max_len="$(max_len "$h")" "${budget[@]}" -seed="${FUZZ_SEED:-1}" -artifact_prefix="$artifacts/" \
    ${FUZZ_ARGS:-} "$out/corpus/$h" "$out/seeds/$h" >"$log" 2>&1
  code=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  coverage=$(grep -E '^#[0-9]+' "$log" | grep -oE 'cov: [0-9]+ ft: [0-9]+' | tail -n 1)
  if [ $code -eq 0 ]; then
    echo "fuzz $h: ${executions:-?} executions, ${coverage:-no coverage line}, no crash, leak or timeout"
  else
    echo "fuzz $h: FAILED after ${executions:-?} executions (exit $code); input saved in $artifacts/, log $log" >&2
    grep -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY|Fatal error|artifact_prefix|Test unit written' "$log" | head -n 12 >&2
    status=1
  fi
done
exit $status
