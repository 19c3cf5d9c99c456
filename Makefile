# HybridSign: the two set-up commands are `make demo` and `make test` (see README.md).
SWIFT ?= swift
RELEASE = -c release
BIN = .build/release/hybridsign

.PHONY: demo test build deps bench

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build $(RELEASE) --product hybridsign

# Numeric code is 40–500× slower in debug builds, so the tests run in release mode with testing enabled.
test: deps
	SWIFT=$(SWIFT) bash scripts/run-tests.sh

# The main job on the bundled data: explore the word splits, render frames and a comparison,
# export JSON and .pose, plot. Writes under out/.
demo: build
	$(BIN) run Examples/explore-data.hsl
	@echo
	@echo "PNG frames and contact sheets: out/uhr/ (sheet.png), out/uhr-vs-ohr/ (sheet.png); plot: out/frames-per-word.png"
