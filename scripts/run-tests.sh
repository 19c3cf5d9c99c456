#!/usr/bin/env bash
# Builds and runs the whole test suite in release mode (numeric code is 40–500× slower in debug),
# then the kernel and streaming tests on each forced kernel path (scripts/test-kernel-paths.sh),
# then the Python tests (python/tests, with pytest), then the fuzz harnesses (Fuzz/run.sh smoke:
# every saved crash input replayed, each harness fuzzed for FUZZ_SECONDS, default 10), then the
# parsers' tests under AddressSanitizer (scripts/test-asan.sh), and prints one summary line per
# suite: "tests: N passed, N failed, N skipped" (Swift), one "kernels PATH: ..." line per forced
# path, "python tests: ..." (pytest), one "fuzz HARNESS: ..." line per harness and "asan tests: ...".
# Swift tests that compare against Python references (safetensors, transformers, the twin) find the
# interpreter through HYBRIDSIGN_PYTHON, which this script sets to the test environment's python.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift=${SWIFT:-swift}
HYBRIDSIGN_PYTHON=$(bash "$root/scripts/python-env.sh") || exit 1
export HYBRIDSIGN_PYTHON
$swift build -c release --build-tests -Xswiftc -enable-testing || exit 1
log=$(mktemp)
fuzz_log=$(mktemp)
asan_log=$(mktemp)
paths_log=$(mktemp)
python_log=$(mktemp)
trap 'rm -f "$log" "$fuzz_log" "$asan_log" "$paths_log" "$python_log"' EXIT
$swift test -c release --skip-build -Xswiftc -enable-testing 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
swift_summary=$(bash "$root/scripts/xctest-summary.sh" "$log")
SWIFT=$swift bash "$root/scripts/test-kernel-paths.sh" 2>&1 | tee "$paths_log"
paths_status=${PIPESTATUS[0]}
python_status=0
if [ -d "$root/python/tests" ]; then
  (cd "$root/python" && PYTHONPATH="$root/python" "$HYBRIDSIGN_PYTHON" -m pytest -q tests) 2>&1 | tee "$python_log"
  python_status=${PIPESTATUS[0]}
fi
bash "$root/Fuzz/run.sh" smoke 2>&1 | tee "$fuzz_log"
fuzz_status=${PIPESTATUS[0]}
SWIFT=$swift bash "$root/scripts/test-asan.sh" 2>&1 | tee "$asan_log"
asan_status=${PIPESTATUS[0]}
asan_summary=$(bash "$root/scripts/xctest-summary.sh" "$asan_log")
[ -n "$swift_summary" ] && echo "tests: $swift_summary"
grep -E '^kernels [a-z0-9]+: ' "$paths_log"
python_summary=$(grep -E '(passed|failed|error).* in [0-9.]+s' "$python_log" | tail -1)
[ -n "$python_summary" ] && echo "python tests: $python_summary"
grep -E '^fuzz [a-z]+: ' "$fuzz_log"
[ -n "$asan_summary" ] && echo "asan tests: $asan_summary"
for s in $paths_status $python_status $fuzz_status $asan_status; do [ "$status" -eq 0 ] && status=$s; done
exit "$status"
