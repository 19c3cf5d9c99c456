#!/usr/bin/env bash
# Builds and runs the whole test suite in release mode (numeric code is 40–500× slower in debug),
# then prints one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
swift=${SWIFT:-swift}
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
if [ -n "$summary" ]; then
  echo "tests: $((executed - failed - skipped)) passed, $failed failed, $skipped skipped"
fi
exit "$status"
