#!/usr/bin/env bash
# Runs the kernel and streaming tests again with each kernel path forced (HYBRIDSIGN_KERNELS=
# portable, then avx2), on the build `scripts/run-tests.sh` made, and prints one summary line per
# path: "kernels PATH: N passed, N failed, N skipped", or "kernels avx2: skipped, ..." when the
# CPU lacks AVX2 (the test process refuses the path with that message). The whole suite runs once
# on the fastest path; only these filters run again, so `make test` stays well under CI's time.
# The avx512 path is not forced: where the CPU has it, the whole suite already ran on it.
set -uo pipefail
swift=${SWIFT:-swift}
filter='TensorsTests\.(KernelPathTests|BFloat16ProductsTests|RowTimesTransposedTests|RowKernelTests|AttentionTests|KVCacheTests|PackedWeightTests|WorkSharingTests)|HybridSignTests\.(StreamingTests|MixedPrecisionTrainingTests|BatchedSamplingTests|ConcurrentPartsTests|FlowFrameSamplingTests|TwinParityTests)'
root="$(cd "$(dirname "$0")/.." && pwd)"
status=0
summaries=()
for path in portable avx2; do
  log=$(mktemp)
  HYBRIDSIGN_KERNELS=$path $swift test -c release --skip-build -Xswiftc -enable-testing --filter "$filter" 2>&1 | tee "$log"
  s=${PIPESTATUS[0]}
  if grep -q "HYBRIDSIGN_KERNELS=$path needs .*which this CPU lacks" "$log"; then
    summaries+=("kernels $path: skipped, this CPU lacks it")
  else
    summary=$(bash "$root/scripts/xctest-summary.sh" "$log")
    summaries+=("kernels $path: ${summary:-no XCTest summary (exit status $s)}")
    [ "$status" -eq 0 ] && status=$s
  fi
  rm -f "$log"
done
printf '%s\n' "${summaries[@]}"
exit "$status"
