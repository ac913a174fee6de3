#!/usr/bin/env bash
# Builds the web app into web/dist: the WASM client (client-wasm/pkg; with
# --optimize through wasm-opt), the self-hosted fonts, type-check, Vite.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$root"
"$root/scripts/build-wasm.sh" "$@"
npm_deps web
(cd web && npm run --silent build)
