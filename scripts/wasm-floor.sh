#!/usr/bin/env bash
# The size floor of a WASM client on automerge: bench/wasm-floor (only the
# automerge calls any co-drafting client makes) built exactly as the client,
# printed beside the client's own bundle. Part of ./bench.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm_bundle codraft-wasm-floor "$out" --optimize
