#!/usr/bin/env bash
# Runs every test: format, lints, the wasm32 build of the shared crates, the
# WASM bundle, unit, property, simulation, integration, interop and browser
# tests.
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
need cargo "Install Rust with rustup (https://rustup.rs)."
cd "$root"
# Everything the tests need, installed when missing: system packages, the
# toolchain's components and the wasm32 target, wasm-bindgen-cli at the
# locked version, the npm packages.
system_deps
rustup show active-toolchain >/dev/null
rustup component add rustfmt clippy >/dev/null 2>&1 || true
wasm_tools
js_deps

step() { printf '\n==> %s\n' "$*"; }
step "format";  cargo fmt --all -- --check
step "lints";   cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --locked -p codraft-client --target wasm32-unknown-unknown -- -D warnings
step "wasm32 build of protocol, sync and the client core"
cargo check --locked -p codraft-protocol -p codraft-sync -p codraft-schema -p codraft-client -p codraft-wasm-floor --target wasm32-unknown-unknown
step "WASM client bundle (client-wasm/pkg) and the web app (web/dist)"
"$root/scripts/build-web.sh"
step "tests (unit, property, simulation, integration, interop, browser)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# The CLI tests run the `codraft` binary: build it first.
cargo build --locked -p codraft-server
cargo test --workspace --locked 2>&1 | tee "$log"
# One closing line for the whole run: the sum of every test binary's result.
awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "\ntests: %d passed, %d failed, %d skipped\n", p, f, i; if (p == 0) exit 1 }' "$log"
