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
APT_PACKAGES = build-essential pkg-config file cmake clang libclang-dev \
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
# The desktop app (src-tauri/) and its front end (ui/). ui/dist must exist
# before anything compiles alter-app (the front end is embedded in the binary),
# so every target below that builds the crate depends on `ui`.
APP_APT_PACKAGES := build-essential pkg-config file libssl-dev libxdo-dev \
	libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev \
	xvfb xauth webkit2gtk-driver fonts-dejavu-core imagemagick curl
APP_BIN = $(or $(CARGO_TARGET_DIR),target)/debug/alter-app
TAURI_DRIVER = $(shell command -v tauri-driver || echo $(HOME)/.cargo/bin/tauri-driver)

.PHONY: ui app app-deb test-ui test-app test-e2e

## Installs the front end's packages (from package-lock.json) and builds ui/dist.
ui:
	npm --prefix ui ci --no-audit --no-fund
	npm --prefix ui run build

## Runs the desktop app (debug build) on $$ALTER_HOME (default: the user's data folder).
app: deps ui
	$(CARGO) build -p alter-app
	$(APP_BIN)

## Builds the .deb package (the only bundle target).
app-deb: deps ui
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb

## Front-end lint (tsc strict + eslint) and unit tests (vitest).
test-ui:
	@[ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund
	npm --prefix ui run lint
	npm --prefix ui test

## The app crate's tests that need no window: IPC commands on a real engine, bindings up to date.
test-app: deps ui
	$(CARGO) test -p alter-app --lib --test commands --test bindings --test materials --test avatar --test persona --test settings

## The end-to-end test of the real window under Xvfb; screenshots in target/e2e-artifacts/.
test-e2e: deps ui
	@[ -x "$(TAURI_DRIVER)" ] || $(CARGO) install tauri-driver --locked
	PATH="$(HOME)/.cargo/bin:$$PATH" $(CARGO) test -p alter-app --test e2e -- --nocapture
	@echo "screenshots: $(or $(CARGO_TARGET_DIR),target)/e2e-artifacts/"

# --- checks ---
# `make test` runs every check in order, each printing its duration.
STAGE := tools/stage.sh

.PHONY: check
check: deps ui
	$(STAGE) fmt $(CARGO) fmt --all --check
	$(STAGE) clippy $(CARGO) clippy --workspace --all-targets -- -D warnings

## Every Rust test of every crate and the app, with the real models.
.PHONY: test-rust
test-rust: deps ui models
	@[ -x "$(TAURI_DRIVER)" ] || $(STAGE) tauri-driver $(CARGO) install tauri-driver --locked
	PATH="$(HOME)/.cargo/bin:$$PATH" $(STAGE) cargo-test $(CARGO) test --workspace --no-fail-fast

.PHONY: test
test: check
	$(STAGE) ui-tests $(MAKE) --no-print-directory test-ui
	$(STAGE) rust-tests $(MAKE) --no-print-directory test-rust

.PHONY: bench
bench: models
	$(ALTER) bench

## The desktop app when a display is available; otherwise the headless demo.
.PHONY: demo
demo: models
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		$(MAKE) --no-print-directory app; \
	else \
		echo "No display found: running the headless demo through the command line instead."; \
		tools/demo.sh $(ALTER); \
	fi
