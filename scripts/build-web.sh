#!/usr/bin/env bash
# Builds the web app into web/dist: the WASM client (client-wasm/pkg; with
# --optimize through wasm-opt), the API types (web/src/api.gen.ts, generated
# by openapi-typescript from the server's OpenAPI: `codraft openapi`, from
# $CODRAFT_BIN or a debug build), the self-hosted fonts, type-check, Vite.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
"$root/scripts/build-wasm.sh" "$@"
npm_deps web
bin=${CODRAFT_BIN:-}
if [ -z "$bin" ]; then
  cargo build --locked -q -p codraft-server
  bin="$root/target/debug/codraft"
fi
"$bin" openapi > "$root/web/openapi.json"
(cd web && npx openapi-typescript openapi.json -o src/api.gen.ts --silent && npm run --silent build)
