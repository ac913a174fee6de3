#!/usr/bin/env bash
# Benchmarks Codraft side by side with the reference automerge-repo server
# (Node), on this machine, and prints a Markdown table for BENCHMARKS.md.
# Extra flags go to the load generator: ./bench.sh --help
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
need cargo "Install Rust with rustup (https://rustup.rs)."
cd "$root"
js_deps
cargo build --release --locked -p codraft-server -p codraft-bench --bins
CODRAFT_BIN="$root/target/release/codraft" "$root/scripts/build-web.sh" --optimize
# The size floor of any automerge WASM client, beside the bundle above.
"$root/scripts/wasm-floor.sh"
# 10,000 idle clients need as many sockets on each side.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); date: $(date -u +%F)"
./target/release/codraft-bench "$@"

# Reviewing a card as its history grows (10,000 / 50,000 / 200,000 changes
# by 10 people): history page, differences, attribution. In-process; the
# reference server has no review to compare with.
echo
echo "Review (history, differences, attribution) as the history grows:"
./target/release/review-bench

# The floor under the fan-out's CPU per delivery: sockets and a runtime
# alone relaying fixed-size frames (no WebSocket, protocol or storage).
echo
echo "Fan-out floor (sockets and a tokio runtime alone, 50 clients, 100 changes/s):"
./target/release/socket-floor

# Codraft instances on Redis: change latency across instances beside one
# instance (the reference server has no multi-instance mode).
echo
echo "Cross-instance (Redis):"
./target/release/codraft-bench --scenarios cross

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
data=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$data"' EXIT

# The WASM client in Chromium: keystroke cost and keystroke-to-remote-change.
# A bare protocol page (no sign-in), so this server has open access, like the
# load generator's.
open_port=$(free_port)
./target/release/codraft serve --listen "127.0.0.1:$open_port" --data-dir "$data/open" --open-access >/dev/null &
open_pid=$!
# The web app with the demo workspace and accounts.
port=$(free_port)
./target/release/codraft serve --listen "127.0.0.1:$port" --data-dir "$data/demo" --demo --web-dir "$root/web/dist" >/dev/null &
sleep 1
echo
echo "WASM client in Chromium (card with 30 activities, 300 keystrokes):"
node tests/js/browser-bench.mjs "ws://127.0.0.1:$open_port/sync" client-wasm/pkg

# A long text in Chromium: one WASM client holds a 50,000-character text
# while 20 people type into it through the server (the load generator's
# typists mode); batching off (one pass of the text per message, as before)
# then on (one per animation frame).
echo
echo "A long text in Chromium (50,000 characters, 20 people typing, 20 s):"
node tests/js/long-text-bench.mjs "ws://127.0.0.1:$open_port/sync" client-wasm/pkg ./target/release/codraft-bench 50000 20 20
# Again with the server and the typists at the lowest priority: they stand
# for other machines, and the page has this one first.
echo
echo "The same, the server and the typists niced (the page first on this machine):"
renice -n 19 -p "$open_pid" >/dev/null
OTHERS_NICE=1 node tests/js/long-text-bench.mjs "ws://127.0.0.1:$open_port/sync" client-wasm/pkg ./target/release/codraft-bench 50000 20 20
renice -n 0 -p "$open_pid" >/dev/null 2>&1 || true

# Chromium's own layout of a text field after one character, against the
# text's length (what "shown" costs after the client's work).
echo
echo "Laying out a text field after one keystroke (Chromium): a textarea, paragraphs in one block, in groups:"
node tests/js/textarea-layout-bench.mjs

# Chromium's own floor under a keystroke, against the text's length: the
# web app's box, a bare contenteditable and a textarea; and a peer's
# keystroke into the box, focused or not.
echo
echo "What Chromium itself spends on a keystroke, against the text's length:"
node tests/js/keystroke-floor-bench.mjs 300,2000,10000,50000

# Automerge's apply of one remote keystroke, the vendored walk against
# upstream's (native).
echo
echo "One remote keystroke applied (automerge 0.12.0, upstream's walk and the vendored one):"
./target/release/apply-bench

# The web app in Chromium: keystroke-to-render on a card with 30 activities.
echo
echo "Web app in Chromium (demo card MO0056 grown to 30 activities, 200 keystrokes):"
echo "| metric | p50 | p99 |"
echo "|---|---|---|"
node tests/js/webapp-bench.mjs "http://127.0.0.1:$port" 200

# A first visit on a phone network: cold cache to an editable card, with
# Chromium's network emulation (9 Mbit/s + 40 ms, 1.6 Mbit/s + 150 ms).
echo
echo "First visit on a phone network (cold cache → editable MO0056):"
node tests/js/first-visit-bench.mjs "http://127.0.0.1:$port" 5
