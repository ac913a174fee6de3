#!/usr/bin/env bash
# Runs every test: format, lints, the wasm32 build of the shared crates, the
# WASM bundle, unit, property, simulation, integration, interop and browser
# tests.
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
need cargo "Install Rust with rustup (https://rustup.rs)."
cd "$root"
js_deps

step() { printf '\n==> %s\n' "$*"; }
step "format";  cargo fmt --all -- --check
step "lints";   cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --locked -p codraft-client --target wasm32-unknown-unknown -- -D warnings
step "wasm32 build of protocol, sync and the client core"
rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
  || { echo "error: the rustup target wasm32-unknown-unknown is missing: rustup target add wasm32-unknown-unknown" >&2; exit 1; }
cargo check --locked -p codraft-protocol -p codraft-sync -p codraft-schema -p codraft-client -p codraft-wasm-floor --target wasm32-unknown-unknown
step "WASM client bundle (client-wasm/pkg) and the web app (web/dist)"
"$root/scripts/build-web.sh"
[ -x /usr/bin/chromium ] || { echo "error: the browser tests need Debian's chromium at /usr/bin/chromium: apt-get install chromium" >&2; exit 1; }
need redis-server "The Redis tests start their own redis-server (Debian: apt-get install redis-server)."
step "tests (unit, property, simulation, integration, interop, browser)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# The CLI tests run the `codraft` binary: build it first.
cargo build --locked -p codraft-server
cargo test --workspace --locked 2>&1 | tee "$log"
# One closing line for the whole run: the sum of every test binary's result.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "\ntests: %d passed, %d failed, %d skipped\n", p, f, i; if (p == 0) exit 1 }' "$log"
