# Shared by the scripts: fail with a message that names the missing tool.
need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "error: '$1' is required but not installed. $2" >&2
    exit 1
  }
}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

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
