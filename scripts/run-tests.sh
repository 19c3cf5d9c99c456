#!/usr/bin/env bash
# Builds and runs the whole test suite in release mode (numeric code is 40–500× slower in debug),
# then the Python tests (python/tests, with pytest), and prints one summary line per suite:
# "tests: N passed, N failed, N skipped" (Swift) and "python tests: ..." (pytest).
# Swift tests that compare against Python references (safetensors, transformers, the twin) find the
# interpreter through HYBRIDSIGN_PYTHON, which this script sets to the test environment's python.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift=${SWIFT:-swift}
HYBRIDSIGN_PYTHON=$(bash "$root/scripts/python-env.sh") || exit 1
export HYBRIDSIGN_PYTHON
$swift build -c release --build-tests -Xswiftc -enable-testing || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
$swift test -c release --skip-build -Xswiftc -enable-testing 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# XCTest's last "Executed N tests, with K tests skipped and F failures" line is the whole run's.
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with" "$log" | tail -n 1)
executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failed=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$summary")
skipped=0
grep -q "skipped" <<<"$summary" && skipped=$(sed -E 's/.*with ([0-9]+) tests? skipped.*/\1/' <<<"$summary")
swift_summary=""
[ -n "$summary" ] && swift_summary="tests: $((executed - failed - skipped)) passed, $failed failed, $skipped skipped"
python_status=0
if [ -d "$root/python/tests" ]; then
  (cd "$root/python" && PYTHONPATH="$root/python" "$HYBRIDSIGN_PYTHON" -m pytest -q tests) || python_status=$?
fi
[ -n "$swift_summary" ] && echo "$swift_summary"
[ "$status" -eq 0 ] && status=$python_status
exit "$status"
