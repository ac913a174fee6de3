# Shared by the scripts: fail with a message that names the missing tool.
need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "error: '$1' is required but not installed. $2" >&2
    exit 1
  }
}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# npm packages of tests/js (the real automerge-repo JS clients), installed
# from package-lock.json when missing or out of date.
js_deps() {
  need node "Install Node.js 20+ (Debian: apt-get install nodejs npm)."
  need npm "Install npm (Debian: apt-get install npm)."
  local dir="$root/tests/js"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
