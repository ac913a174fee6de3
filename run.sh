#!/usr/bin/env bash
# Builds and runs Codraft on the embedded store (./data), and prints the URL.
# Settings: flags after the script name, or CODRAFT_* variables (see README).
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
need cargo "Install Rust with rustup (https://rustup.rs)."
cd "$root"
cargo build --release --locked -p codraft-server
exec ./target/release/codraft serve "$@"
