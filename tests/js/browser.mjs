// Browser test of the WASM client, in Debian's Chromium driven by
// playwright-core. Usage: node browser.mjs ws://HOST:PORT/sync PKG_DIR ARTIFACT_DIR
// The Rust side serves nothing but the sync server; this script serves the
// wasm-bindgen package and a test page itself. It prints "restart-server"
// and waits for a line on stdin when it needs the sync server restarted.
import assert from "node:assert/strict"
import { createServer } from "node:http"
import { readFile, mkdir } from "node:fs/promises"
import { existsSync } from "node:fs"
import { join, extname } from "node:path"
import { createInterface } from "node:readline"
import { chromium } from "playwright-core"

const [syncUrl, pkgDir, artifacts] = process.argv.slice(2)
const CHROMIUM = "/usr/bin/chromium"
if (!existsSync(CHROMIUM)) throw new Error("the browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)")

const page = `<!doctype html><meta charset="utf-8"><title>codraft wasm test</title>
<script type="module">
import init, { CodraftClient } from "./codraft_client.js"
await init()
window.events = []
window.makeClient = () => {
  window.client = new CodraftClient(${JSON.stringify(syncUrl)}, e => window.events.push(e))
  return window.client.peerId()
}
window.ready = true
</script>`
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" }
const http = createServer(async (req, res) => {
  const path = new URL(req.url, "http://x").pathname
  if (path === "/") { res.writeHead(200, { "content-type": "text/html" }); return res.end(page) }
  try {
    const body = await readFile(join(pkgDir, path))
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" })
    res.end(body)
  } catch { res.writeHead(404); res.end() }
})
await new Promise(r => http.listen(0, "127.0.0.1", r))
const origin = `http://127.0.0.1:${http.address().port}/`

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
})
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
async function restartServer() {
  console.log("restart-server")
  const { value } = await lines.next()
  assert.equal(value?.trim(), "restarted")
}
const until = async (p, what, fn, ms = 10000) => {
  await p.waitForFunction(fn, null, { timeout: ms, polling: 50 }).catch(e => { throw new Error(`timed out: ${what}: ${e.message}`) })
}

try {
  const ctxA = await browser.newContext(), ctxB = await browser.newContext()
  const a = await ctxA.newPage(), b = await ctxB.newPage()
  for (const p of [a, b]) {
    p.on("pageerror", e => console.error("page error:", e.message))
    await p.goto(origin)
    await until(p, "wasm loaded", () => window.ready === true)
    await p.evaluate(() => { window.makeClient(); window.client.connect() })
    await until(p, "online", () => window.client.connectionState() === "online")
  }

  // A creates a card; it is saved on the server.
  const url = await a.evaluate(() => window.client.create({
    ogpId: "MO0059",
    title: { ar: "خدمات عمومية للناطقين بالأمازيغية", fr: "Services publics pour les amazighophones", zgh: "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ" },
    activities: [],
  }))
  assert.match(url, /^automerge:/)
  for (const p of [a, b]) await p.evaluate(u => { window.docUrl = u }, url)
  await until(a, "saved", () => window.events.some(e => e.type === "save" && e.state === "saved"))

  // B opens it by URL.
  await b.evaluate(u => window.client.open(u), url)
  assert.equal(await b.evaluate(u => window.client.read(u, ["title", "ar"]), url), "خدمات عمومية للناطقين بالأمازيغية")

  // Arabic typed in A appears in B, as a patch event.
  await a.evaluate(u => window.client.splice(u, ["title", "ar"], 0, 0, "تحسين "), url)
  await until(b, "B sees A's edit", () => window.events.some(e => e.type === "change" && e.patches.some(p => p.action === "splice" && p.index === 0 && p.insert === "تحسين " && p.path.join("/") === "title/ar")))
  // Offsets are UTF-16 units, as a textarea reports them.
  await b.evaluate(u => window.client.splice(u, ["title", "fr"], 0, 0, "😀 "), url)
  await b.evaluate(u => window.client.splice(u, ["title", "fr"], 3, 0, "Les "), url)
  await until(a, "A sees B's edit", () => window.events.some(e => e.type === "change"))
  await until(a, "A converged", () =>
    window.client.read(window.docUrl, ["title", "fr"]) === "😀 Les Services publics pour les amazighophones")

  // Presence: B sees A in the title field.
  await a.evaluate(u => { window.client.setPresence(u, "user", "Amina"); window.client.setPresence(u, "field", "title.ar") }, url)
  await until(b, "B sees A's presence", () =>
    Object.values(window.client.peers(window.docUrl)).some(p => p.state.user === "Amina" && p.state.field === "title.ar"))

  // The sync server restarts: both reconnect by themselves and keep syncing.
  await restartServer()
  for (const p of [a, b]) {
    await until(p, "reconnected", () => window.events.filter(e => e.type === "connection" && e.state === "online").length >= 2, 20000)
  }
  await a.evaluate(u => window.client.put(u, [], "afterRestart", true), url)
  await until(b, "sync after restart", () => {
    try { return window.client.read(window.docUrl, ["afterRestart"]) === true } catch { return false }
  })

  // B goes offline, edits, and reloads: the edit survives in IndexedDB and
  // reaches A once B is back online.
  await b.evaluate(() => window.client.disconnect())
  await b.evaluate(u => window.client.insert(u, ["activities"], 0, { title: "دليل المستخدم", end: "2026-06-30" }), url)
  assert.equal(await b.evaluate(u => window.client.saveState(u), url), "offline")
  await b.waitForTimeout(200) // the IndexedDB write is asynchronous
  await b.reload()
  await until(b, "wasm reloaded", () => window.ready === true)
  await b.evaluate(u => { window.makeClient(); window.docUrl = u }, url)
  await b.evaluate(u => window.client.open(u), url) // from IndexedDB, still offline
  assert.equal(await b.evaluate(u => window.client.read(u, ["activities", 0, "title"]), url), "دليل المستخدم")
  await b.evaluate(() => window.client.connect())
  await until(a, "A gets B's offline edit", () => window.client.read(window.docUrl, ["activities"]).length === 1)
  await until(b, "B saved", () => window.client.saveState(window.docUrl) === "saved")
  // Two tabs of the same browser agree even while both are offline.
  const b2 = await ctxB.newPage()
  b2.on("pageerror", e => console.error("page error:", e.message))
  await b2.goto(origin)
  await until(b2, "second tab loaded", () => window.ready === true)
  await b2.evaluate(u => { window.makeClient(); window.docUrl = u }, url)
  await b2.evaluate(u => window.client.open(u), url) // this browser's IndexedDB copy
  await b.evaluate(() => window.client.disconnect())
  await b2.evaluate(() => window.client.disconnect())
  await b.evaluate(u => window.client.put(u, [], "tabNote", "من تبويب إلى آخر"), url)
  await until(b2, "the other tab has the offline edit", () => {
    try { return window.client.read(window.docUrl, ["tabNote"]) === "من تبويب إلى آخر" } catch { return false }
  })
  assert.ok(await b2.evaluate(() => window.events.some(e => e.type === "change")), "as a change event")
  // Regression (a closure invoked after being dropped): a socket closed by
  // disconnect() fires its close event late; a new dial in between must
  // not leave that event calling a dropped callback.
  const errors = []
  b.on("pageerror", e => errors.push(e.message))
  for (let i = 0; i < 5; i++) {
    await b.evaluate(() => { window.client.connect(); window.client.disconnect(); window.client.connect() })
  }
  await until(b, "online again after quick reconnects", () => window.client.connectionState() === "online")
  await b.waitForTimeout(500)
  assert.deepEqual(errors, [], "no callback of an old socket runs after it is dropped")
  await mkdir(artifacts, { recursive: true })
  await b.screenshot({ path: join(artifacts, "wasm-client.png") })
  console.log("browser test passed")
} finally {
  await browser.close()
  http.close()
}
process.exit(0)
