#!/usr/bin/env bash
# Prints "N passed, N failed, N skipped" from the output of `swift test` (the file given), or
# nothing when the run printed no XCTest summary (it did not get that far).
# XCTest's last "Executed N tests, with K tests skipped and F failures" line is the whole run's;
# F counts failed assertions, not tests, so failed tests are counted from "Test Case '…' failed" lines.
set -uo pipefail
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with" "$1" | tail -n 1)
[ -n "$summary" ] || exit 0
executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
assertions=$(sed -E 's/.* ([0-9]+) failures?.*/\1/' <<<"$summary")
failed=$(grep -cE "^Test Case '.*' failed" "$1")
[ "$failed" -eq 0 ] && [ "$assertions" -gt 0 ] && failed=1
skipped=0
grep -q "skipped" <<<"$summary" && skipped=$(sed -E 's/.*with ([0-9]+) tests? skipped.*/\1/' <<<"$summary")
echo "$((executed - failed - skipped)) passed, $failed failed, $skipped skipped"
