// Browser benchmark of the WASM client (bench command): in one Chromium page,
// two clients on a card with 30 activities. Measures the time to apply one
// local keystroke (splice + sync message out) and, from a keystroke in one
// client to the `change` event in the other through the server, p50/p99.
// Usage: node browser-bench.mjs ws://HOST:PORT/sync PKG_DIR
import { createServer } from "node:http"
import { readFile } from "node:fs/promises"
import { join, extname } from "node:path"
import { chromium } from "playwright-core"

const [syncUrl, pkgDir] = process.argv.slice(2)
const types = { ".js": "text/javascript", ".wasm": "application/wasm" }
const page = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { CodraftClient } from "./codraft_client.js"
await init()
window.CodraftClient = CodraftClient
window.ready = true
</script>`
const http = createServer(async (req, res) => {
  const path = new URL(req.url, "http://x").pathname
  if (path === "/") { res.writeHead(200, { "content-type": "text/html" }); return res.end(page) }
  let body
  try { body = await readFile(join(pkgDir, path)) } catch { res.writeHead(404); return res.end() }
  res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" })
  res.end(body)
})
await new Promise(r => http.listen(0, "127.0.0.1", r))
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
})
try {
  const p = await (await browser.newContext()).newPage()
  await p.goto(`http://127.0.0.1:${http.address().port}/`)
  await p.waitForFunction(() => window.ready === true)
  const result = await p.evaluate(async syncUrl => {
    const sleep = ms => new Promise(r => setTimeout(r, ms))
    const waitFor = async f => { while (!f()) await sleep(2) }
    let changed = null
    const a = new window.CodraftClient(syncUrl, () => {})
    const b = new window.CodraftClient(syncUrl, e => { if (e.type === "change" && changed) changed() })
    a.connect(); b.connect()
    await waitFor(() => a.connectionState() === "online" && b.connectionState() === "online")
    const activities = Array.from({ length: 30 }, (_, i) => ({ title: `النشاط ${i + 1}`, deliverable: "تقرير منشور", start: "2026-02-01", end: "2026-06-30", status: "draft" }))
    const url = a.create({ title: { ar: "الاستراتيجية الوطنية للتنمية المستدامة", fr: "Stratégie nationale" }, activities })
    await waitFor(() => a.saveState(url) === "saved")
    await b.open(url)
    const local = [], remote = []
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now()
      const arrived = new Promise(r => { changed = r })
      a.splice(url, ["activities", i % 30, "title"], 0, 0, "ب")
      local.push(performance.now() - t0)
      await arrived
      remote.push(performance.now() - t0)
    }
    const q = (xs, f) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(f * s.length))] }
    return { localP50: q(local, 0.5), localP99: q(local, 0.99), remoteP50: q(remote, 0.5), remoteP99: q(remote, 0.99) }
  }, syncUrl)
  console.log(JSON.stringify(result))
} finally {
  await browser.close()
  http.close()
}
