# Shared by the scripts: fail with a message that names the missing tool.
need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "error: '$1' is required but not installed. $2" >&2
    exit 1
  }
}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The system packages the tests start for real (Node.js and npm, Debian's
# chromium for the browser tests, redis-server for the Redis tests),
# installed with apt-get when missing. Without root or apt-get, one line
# says exactly which command to run.
system_deps() {
  local missing=()
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo=(sudo -n); }
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ ${#sudo[@]} -gt 0 ]; }; then
    echo "installing ${missing[*]} (apt-get)" >&2
    "${sudo[@]}" apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" \
      && return 0
  fi
  echo "error: the tests need ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
  exit 1
}

# npm packages of a folder (tests/js: the real automerge-repo JS clients and
# Playwright; web: Vite, TypeScript, fonts), installed from its
# package-lock.json when missing or out of date.
npm_deps() {
  need node "Install Node.js 20+ (Debian: apt-get install nodejs npm)."
  need npm "Install npm (Debian: apt-get install npm)."
  local dir="$root/$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
js_deps() { npm_deps tests/js; }

# The Rust tools the WASM build needs: the wasm32 target (rustup) and the
# wasm-bindgen CLI at exactly the version Cargo.lock pins.
wasm_tools() {
  need rustup "Install Rust with rustup (https://rustup.rs)."
  rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    cargo install --locked wasm-bindgen-cli --version "$want"
  fi
}

# Builds library crate $1 for the browser into folder $2, as the WASM client
# is built: profile wasm-release (opt-level z, LTO, one codegen unit,
# panic=abort), as a cdylib only, wasm-bindgen --target web; with
# $3 = --optimize, then wasm-opt -Oz (binaryen from npm, tests/js) and prints
# the sizes. The crates declare themselves rlib (the tests link them
# natively); `cargo rustc --crate-type cdylib` makes the .wasm alone, which
# comes out 45 KB (gzipped) smaller than a cdylib built beside an rlib.
wasm_bundle() {
  local crate=$1 out=$2 optimize=${3:-}
  local want have file
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    echo "error: wasm-bindgen-cli $want is required (found: ${have:-none}): cargo install --locked wasm-bindgen-cli --version $want" >&2
    exit 1
  fi
  file=${crate//-/_}
  cargo rustc --locked --profile wasm-release --target wasm32-unknown-unknown -p "$crate" --lib --crate-type cdylib
  rm -rf "$out"
  wasm-bindgen --target web --out-dir "$out" "$root/target/wasm32-unknown-unknown/wasm-release/$file.wasm"
  if [ "$optimize" = "--optimize" ]; then
    js_deps
    "$root/tests/js/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$out/${file}_bg.wasm" -o "$out/${file}_bg.wasm"
    echo "wasm bundle $crate: $(wc -c < "$out/${file}_bg.wasm") bytes, $(gzip -9 -c "$out/${file}_bg.wasm" | wc -c) bytes gzipped"
  fi
}
