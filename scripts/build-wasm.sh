#!/usr/bin/env bash
# Builds the WASM client into client-wasm/pkg (wasm-bindgen --target web).
# With --optimize, also runs wasm-opt -Oz (binaryen from npm, tests/js) and
# prints the gzipped size of the .wasm.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
wasm_bundle codraft-client client-wasm/pkg "${1:-}"
