#!/usr/bin/env bash
# Builds Codraft (server, WASM client, web app) and runs it on the embedded
# store (./data) with the demo workspace; prints the URL to open.
# Settings: flags after the script name, or CODRAFT_* variables (see README).
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
need cargo "Install Rust with rustup (https://rustup.rs)."
cd "$root"
wasm_tools
js_deps
cargo build --release --locked -p codraft-server
# The web app's API types are generated from this server's OpenAPI.
CODRAFT_BIN="$root/target/release/codraft" "$root/scripts/build-web.sh" --optimize
exec ./target/release/codraft serve --demo --web-dir "$root/web/dist" "$@"
