# HybridSign: the two set-up commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
RELEASE = -c release
BIN = .build/release/hybridsign

.PHONY: demo test test-asan fuzz build deps bench

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build $(RELEASE) --product hybridsign

# Numeric code is 40–500× slower in debug builds, so the tests run in release mode with testing enabled.
test: deps
	SWIFT=$(SWIFT) bash scripts/run-tests.sh

# The parsers' tests built with AddressSanitizer (debug build in .build/asan; also part of `make test`).
test-asan: deps
	SWIFT=$(SWIFT) bash scripts/test-asan.sh

# Each libFuzzer harness for FUZZ_RUNS executions (default 1,000,000) or FUZZ_SECONDS (Docs/fuzzing.md).
fuzz: deps
	bash Fuzz/run.sh long

# The main job: the bundled model signs a word frame by frame; PNG frames, a contact sheet, a
# comparison with a recording, JSON and .pose. Writes under out/quick-start/.
demo: build
	$(BIN) run Examples/quick-start.hsl
	@echo
	@echo "Generated frames: out/quick-start/frames/frame_0000.png ... (contact sheet: out/quick-start/frames/sheet.png)"
	@echo "Model vs recording: out/quick-start/gras-vs-recording/sheet.png; exports: out/quick-start/Baum.json, Baum.pose"
