#!/usr/bin/env bash
# Builds the WASM client into client-wasm/pkg (wasm-bindgen --target web).
# With --optimize, also runs wasm-opt -Oz (binaryen from npm, tests/js) and
# prints the gzipped size of the .wasm.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "error: wasm-bindgen-cli $want is required (found: ${have:-none}): cargo install --locked wasm-bindgen-cli --version $want" >&2
  exit 1
fi
cargo build --locked --profile wasm-release --target wasm32-unknown-unknown -p codraft-client
rm -rf client-wasm/pkg
wasm-bindgen --target web --out-dir client-wasm/pkg target/wasm32-unknown-unknown/wasm-release/codraft_client.wasm
if [ "${1:-}" = "--optimize" ]; then
  js_deps
  "$root/tests/js/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    client-wasm/pkg/codraft_client_bg.wasm -o client-wasm/pkg/codraft_client_bg.wasm
  echo "wasm bundle: $(wc -c < client-wasm/pkg/codraft_client_bg.wasm) bytes, $(gzip -9 -c client-wasm/pkg/codraft_client_bg.wasm | wc -c) bytes gzipped"
fi
