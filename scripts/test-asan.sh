#!/usr/bin/env bash
# Builds the tests with AddressSanitizer and runs the tests of the parsers of untrusted bytes
# (pickle, gzip, .pose, JSON, shards, safetensors, checkpoints, text-encoder folders, the notebook
# language). A debug build: it compiles in a fraction of the release build's time, and these
# tests do little arithmetic. Its own build directory (.build/asan), so the release build stays as it is.
# Docs/fuzzing.md has the time it takes.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift=${SWIFT:-swift}
cd "$root" || exit 1
HYBRIDSIGN_PYTHON=$(bash "$root/scripts/python-env.sh") || exit 1
export HYBRIDSIGN_PYTHON
filter='PoseDataTests\.(Pickle|BundledPickle|PoseFile|PoseIO|JSONFormat|MediaPipe|Hostile|ShardHostile|ShardedDataset)|TensorsTests\.SafeTensorsTests|TextEncodersTests\.EncoderFolderErrorTests|HybridSignTests\.(InputErrorTests|CleanInputTests|HostileModelTests)|NotebookTests\.(LexerTests|ParserTests|LoadVerbTests|InterpreterTests/testReadLines)'
# LeakSanitizer is off here: XCTest keeps its test-case objects and Foundation's Process leaks on
# every run (about 93 KB in 1,000 allocations, none of it in HybridSign code). The fuzz harnesses
# check the parsers for leaks input by input (Fuzz/run.sh).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
$swift build --build-tests --sanitize=address --scratch-path .build/asan || exit 1
$swift test --skip-build --sanitize=address --scratch-path .build/asan --filter "$filter"
