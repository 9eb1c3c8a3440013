# Relman's two commands: `make run` starts the app, `make test` runs every check.
# Both install what is missing first (system packages via apt, npm packages via npm ci, cargo tools).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb xauth dbus gnome-keyring imagemagick git pkg-config python3 \
	gnupg openssh-client
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
APP := $(TARGET_DIR)/debug/relman-app
LOGS := $(TARGET_DIR)/test-logs
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CARGO_BIN):$(PATH)

.PHONY: help run test deps deps-system deps-npm deps-test app bindings package

help:
	@echo "make run    build the UI and the app, and start Relman"
	@echo "make test   fmt, clippy, Rust tests, svelte-check, vitest, end-to-end tests of the real app"
	@echo "make package  the .deb (release build, with the relman CLI), checked by installing it into a scratch root"

run: deps app
	@echo "Starting Relman (database: $${RELMAN_DB:-the platform data folder})"
	"$(APP)"

test: deps deps-test
	@mkdir -p "$(LOGS)" && rm -f "$(LOGS)"/*.log
	cargo fmt --all --check 2>&1 | tee "$(LOGS)/fmt.log"
	cargo clippy --workspace --all-targets --locked -- -D warnings 2>&1 | tee "$(LOGS)/clippy.log"
	cargo nextest run --workspace --locked --no-fail-fast 2>&1 | tee "$(LOGS)/nextest.log"
	npm run --silent check 2>&1 | tee "$(LOGS)/svelte-check.log"
	npm run --silent test:unit 2>&1 | tee "$(LOGS)/vitest.log"
	$(MAKE) --no-print-directory app
	cargo build -p relman-cli --locked --quiet
	scripts/e2e.sh "$(LOGS)/e2e.log"
	@scripts/test-summary.sh "$(LOGS)"

# The app binary with the bundled UI (the `custom-protocol` build that tests and users run).
app: deps-npm
	npx tauri build --debug --no-bundle

# The .deb users install: the app and the relman CLI, release builds; then installed into a scratch
# root and checked (files, desktop entry, icon, shared libraries).
package: deps deps-npm
	cargo build --release --locked -p relman-cli
	mkdir -p target/package && cp "$(TARGET_DIR)/release/relman" target/package/relman
	npx tauri build --bundles deb
	scripts/check-deb.sh "$(TARGET_DIR)/release/bundle/deb"

# Rewrites ui/src/lib/generated/ipc.ts from the Rust types after a type change.
bindings:
	RELMAN_UPDATE_BINDINGS=1 cargo test --test ipc bindings

deps: deps-system deps-npm

deps-system:
	@scripts/install-system-packages.sh $(APT_PACKAGES)

deps-npm: node_modules/.installed

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps-test:
	@command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version 2.1.0
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
