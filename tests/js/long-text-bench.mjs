// Browser benchmark of a long text (bench command): one WASM client in
// Chromium holds a document with one text of N characters while `typists`
// people type into it (the load generator's relaying clients, through the
// server), and the page types a keystroke of its own every 100 ms. Measures,
// per batch of frames the client takes in (one animation frame's), the time
// from taking them to the patches handed to the page; the remote keystrokes
// per batch; the page's own keystroke; the WASM memory. Run with batching on
// (one pass of the text per batch) and off (one per message, as before).
// The own keystroke is what a text field does per keystroke: the box's
// edit (web/src/textbox.ts itself, transpiled with the web app's
// TypeScript), then the client's calls: the edit and the cursors (of its
// caret, and of the character before it; before 2026-12-05 (late) four,
// the selection's two ends each), by UTF-16 offsets and the
// whole value (`updateText`, `cursor`: the web app until 2026-12-05) and by
// code points (`spliceChars`, `cursorAt`: now), in turn; and the layout
// after it.
// Usage: node long-text-bench.mjs ws://HOST:PORT/sync PKG_DIR BENCH_BIN CHARS TYPISTS SECONDS
import { createServer } from "node:http"
import { readFile } from "node:fs/promises"
import { join, extname } from "node:path"
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"

const [syncUrl, pkgDir, benchBin, chars = "50000", typists = "20", seconds = "20"] = process.argv.slice(2)
const types = { ".js": "text/javascript", ".wasm": "application/wasm" }
const page = `<!doctype html><meta charset="utf-8"><script type="module">
import init, { CodraftClient } from "./codraft_client.js"
window.wasm = await init()
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
const web = fileURLToPath(new URL("../../web/", import.meta.url))
const ts = createRequire(web + "package.json")("typescript")
// web/src/textbox.ts, the fields' `<codraft-text>` (a block per paragraph),
// defined in the page; FIELD=textarea shows the text in a textarea instead
// (the fields until 2026-12-05), for comparison.
// textbox.ts and the chars.ts it imports, as one script for the page.
const script = async (f) => ts.transpileModule(await readFile(web + `src/${f}`, "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText.replace(/^import .*$/gm, "").replace(/^export /gm, "")
const boxJs = `${await script("chars.ts")}\n${await script("textbox.ts")}`
const fieldKind = process.env.FIELD === "textarea" ? "textarea" : "codraft-text"
const q = (xs, f) => { const s = [...xs].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(f * s.length))] : 0 }

async function run(batching) {
  const p = await (await browser.newContext()).newPage()
  await p.goto(`http://127.0.0.1:${http.address().port}/`)
  await p.waitForFunction(() => window.ready === true)
  await p.evaluate(boxJs)
  const url = await p.evaluate(async ({ syncUrl, chars, batching, fieldKind }) => {
    const sleep = ms => new Promise(r => setTimeout(r, ms))
    const waitFor = async f => { while (!f()) await sleep(5) }
    // The page shows the text in a field as the web app's are (a
    // `<codraft-text>`, or a textarea sized to its content), and puts each
    // remote splice in where it lands
    // (web/src/fields.ts, TextField.splice); anything else reads the whole
    // value. The client calls this inside the batch, so the batch's time
    // includes it; forcing the layout after it is timed apart.
    window.layouts = []
    window.spliced = 0
    window.wholeReads = 0
    let measuring = false
    const onEvent = e => {
      const ta = window.field
      if (!ta || e.type !== "change") return
      for (const p of e.patches) {
        if (p.path.join("/") !== "minutes") continue
        if (p.action === "splice" && p.length === window.fieldLength - p.remove + p.insert.length) {
          // Arabic, never a surrogate pair: code points are UTF-16 units
          ta.setRangeText(p.insert, p.index, p.index + p.remove, "preserve")
          ta.takeEdits?.() // not the page's own edit (fields.ts splice())
          window.fieldLength = p.length
          window.spliced++
        } else {
          ta.value = window.client.read(e.url, ["minutes"])
          ta.takeEdits?.()
          window.fieldLength = ta.value.length
          window.wholeReads++
        }
      }
      // The layout the browser then does, timed once the batch is over.
      if (!measuring) {
        measuring = true
        queueMicrotask(() => {
          const t = performance.now()
          void ta.offsetHeight
          window.layouts.push(performance.now() - t)
          measuring = false
        })
      }
    }
    const c = new window.CodraftClient(syncUrl, onEvent)
    c.setBatching(batching)
    c.connect()
    await waitFor(() => c.connectionState() === "online")
    // Minutes: paragraphs of about 300 characters.
    const word = "الشفافية "
    const para = word.repeat(33).trimEnd() + "\n"
    const url = c.create({ minutes: para.repeat(Math.ceil(chars / para.length)) })
    await waitFor(() => c.saveState(url) === "saved")
    window.client = c
    const ta = document.createElement(fieldKind)
    ta.dir = "rtl"
    ta.style.cssText = "display: block; white-space: pre-wrap; field-sizing: content; inline-size: 40em"
    ta.value = c.read(url, ["minutes"])
    window.fieldLength = ta.value.length
    document.body.append(ta)
    window.field = ta
    window.memoryAfterLoad = window.wasm.memory.buffer.byteLength
    return url
  }, { syncUrl, chars: Number(chars), batching, fieldKind })
  const id = url.replace(/^automerge:/, "")
  const load = spawn(benchBin, ["--typists-url", syncUrl, "--typists-doc", id, "--typists", typists, "--typists-secs", seconds], { stdio: ["ignore", "pipe", "inherit"] })
  let typed = ""
  load.stdout.on("data", d => { typed += d })
  const done = new Promise(r => load.on("exit", r))
  // PROFILE=1: a CPU profile of the batched run, its top functions by self time.
  const cdp = batching && process.env.PROFILE ? await p.context().newCDPSession(p) : null
  let profiledFrom = 0
  if (cdp) {
    await cdp.send("Profiler.enable"); await cdp.send("Profiler.setSamplingInterval", { interval: 100 }); await cdp.send("Profiler.start")
    profiledFrom = await p.evaluate(() => performance.now())
  }
  const result = await p.evaluate(async ({ url, seconds }) => {
    const sleep = ms => new Promise(r => setTimeout(r, ms))
    const c = window.client
    const path = ["minutes"]
    // The walk of the field before 2026-12-05 (evening), for the UTF-16 column's setup.
    const charIndex = (s, at) => { let n = 0; for (let i = 0; i < at && i < s.length; i++, n++) { const h = s.charCodeAt(i); if (h >= 0xd800 && h <= 0xdbff && i + 1 < at) { const l = s.charCodeAt(i + 1); if (l >= 0xdc00 && l <= 0xdfff) i++ } } return n }
    // The field's value: the text as the page shows it, kept up to date.
    let value = c.read(url, path)
    c.takeBatchTimes()
    const before = [], now = [], ownShown = [], ownPut = [], ownLayout = []
    const until = performance.now() + seconds * 1000 + 3000
    for (let k = 0; performance.now() < until; k++) {
      const at = Math.floor(value.length / 2)
      // A textarea's value is a flat string, not a concatenation.
      const next = JSON.parse(JSON.stringify(value.slice(0, at) + "ⵜ" + value.slice(at)))
      // The field keeps its text's length as it goes: counted here, untimed.
      const length = charIndex(value, value.length)
      const t0 = performance.now()
      if (k % 2 === 0) {
        c.updateText(url, path, next)
        for (const i of [at + 1, at + 1, at, at]) c.cursor(url, path, i)
        before.push(performance.now() - t0)
        // the field shows it (untimed)
        window.field.setRangeText("ⵜ", at, at, "end")
        window.field.takeEdits?.()
      } else {
        // The box makes the edit (its beforeinput), the field takes it
        // (fields.ts commit(): Arabic, no surrogate pair, so offsets are
        // code points) and makes its cursors (selectionMoved(): the caret
        // after the typed character, collapsed); then the layout.
        window.field.setRangeText("ⵜ", at, at, "end")
        const t1 = performance.now()
        const edits = window.field.takeEdits?.() ?? [{ at, removed: "", insert: "ⵜ" }]
        for (const e of edits) c.spliceChars(url, path, e.at, e.removed.length, e.insert, length)
        c.cursorAt(url, path, at + 1)
        c.cursorAt(url, path, at)
        const t2 = performance.now()
        void window.field.offsetHeight
        const t3 = performance.now()
        now.push(t2 - t0)
        ownPut.push(t1 - t0)
        ownLayout.push(t3 - t2)
        ownShown.push(t3 - t0)
      }
      window.fieldLength++
      await sleep(100)
      value = c.read(url, path)
    }
    const times = Array.from(c.takeBatchTimes())
    const shownRight = window.field.value === c.read(url, path)
    return { before, now, ownShown, ownPut, ownLayout, times, memory: window.wasm.memory.buffer.byteLength, memoryAfterLoad: window.memoryAfterLoad, layouts: window.layouts, spliced: window.spliced, wholeReads: window.wholeReads, shownRight }
  }, { url, seconds: Number(seconds) })
  await done
  if (cdp) {
    const { profile } = await cdp.send("Profiler.stop")
    const self = new Map()
    const dt = profile.timeDeltas.reduce((a, b) => a + b, 0) / profile.samples.length / 1000
    const byId = new Map(profile.nodes.map(n => [n.id, n]))
    for (const id of profile.samples) {
      const n = byId.get(id)
      const name = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}`
      self.set(name, (self.get(name) ?? 0) + dt)
    }
    // What ran during the slowest batches (page clock → profile clock, to
    // within the round trip of one evaluate).
    let t = 0
    const at = profile.samples.map((id, i) => { t += profile.timeDeltas[i]; return [t / 1000, id] })
    const slow = []
    for (let i = 0; i < result.times.length; i += 3) slow.push([result.times[i], result.times[i + 2] - profiledFrom])
    for (const [d, from] of slow.sort((a, b) => b[0] - a[0]).slice(0, 3)) {
      const inside = new Map()
      for (const [ms, id] of at) if (ms >= from - 2 && ms <= from + d + 2) { const n = byId.get(id); const k = n.callFrame.functionName || "(anon)"; inside.set(k, (inside.get(k) ?? 0) + dt) }
      console.error(`batch of ${d.toFixed(1)} ms:`, [...inside].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, ms]) => `${k.slice(0, 60)} ${ms.toFixed(1)}`).join(" | "))
    }
    const top = [...self].filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(program)")).sort((a, b) => b[1] - a[1]).slice(0, 25)
    for (const [k, ms] of top) console.error(`${ms.toFixed(0).padStart(7)} ms  ${k}`)
  }
  await p.context().close()
  // The typists say how many keystrokes they sent.
  result.received = Number(typed.trim()) || 0
  // times: [duration ms, frames, started] per batch of frames taken in.
  const durations = [], pairs = []
  const t0 = result.times[2]
  for (let i = 0; i < result.times.length; i += 3) { durations.push(result.times[i]); pairs.push([result.times[i], result.times[i + 1], result.times[i + 2] - t0]) }
  if (process.env.PROFILE) console.error(`slowest batches (ms, frames, at ms), ${batching ? "batched" : "unbatched"}:`, pairs.sort((a, b) => b[0] - a[0]).slice(0, 8).map(([d, f, at]) => `${d.toFixed(1)}/${f}/${at.toFixed(0)}`).join(" "))
  const busy = durations.reduce((a, b) => a + b, 0)
  return {
    batching,
    batches: durations.length,
    remoteKeystrokes: result.received,
    batchP50: q(durations, 0.5), batchP99: q(durations, 0.99),
    perKeystrokeMean: busy / Math.max(1, result.received),
    busyShare: busy / (Number(seconds) * 1000),
    beforeP50: q(result.before, 0.5), beforeP99: q(result.before, 0.99),
    nowP50: q(result.now, 0.5), nowP90: q(result.now, 0.9), nowP99: q(result.now, 0.99),
    memoryMiB: result.memory / 1048576, memoryAfterLoadMiB: result.memoryAfterLoad / 1048576,
    layoutP50: q(result.layouts, 0.5), layoutP99: q(result.layouts, 0.99),
    batchP90: q(durations, 0.9),
    ownShownP50: q(result.ownShown, 0.5), ownShownP99: q(result.ownShown, 0.99), ownPutP50: q(result.ownPut, 0.5), ownPutP99: q(result.ownPut, 0.99), ownLayoutP50: q(result.ownLayout, 0.5), ownLayoutP99: q(result.ownLayout, 0.99),
    spliced: result.spliced, wholeReads: result.wholeReads, shownRight: result.shownRight,
  }
}

try {
  const rows = [await run(false), await run(true)]
  console.log(`| ${chars} characters, ${typists} typing at 1/s | batches | remote keystrokes | batch p50 / p90 / p99 (applied and put in the field) | layout after, p50 / p99 | splices / whole reads | per remote keystroke (mean) | main thread busy | own keystroke, UTF-16 and whole value, p50 / p99 | own keystroke, the box's edit and code points, p50 / p90 / p99 (the box's edit p50 / p99) | own keystroke's layout after, p50 / p99 | own keystroke shown (all), p50 / p99 | WASM memory |`)
  console.log(`(field: ${fieldKind})`)
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
  for (const r of rows) {
    const f = x => x.toFixed(2)
    console.log(`| ${r.batching ? "batched (now)" : "one message at a time (before)"} | ${r.batches} | ${r.remoteKeystrokes} | ${f(r.batchP50)} / ${f(r.batchP90)} / ${f(r.batchP99)} ms | ${f(r.layoutP50)} / ${f(r.layoutP99)} ms | ${r.spliced} / ${r.wholeReads}${r.shownRight ? "" : " (FIELD DIFFERS)"} | ${f(r.perKeystrokeMean)} ms | ${(r.busyShare * 100).toFixed(0)} % | ${f(r.beforeP50)} / ${f(r.beforeP99)} ms | ${f(r.nowP50)} / ${f(r.nowP90)} / ${f(r.nowP99)} ms (${f(r.ownPutP50)} / ${f(r.ownPutP99)}) | ${f(r.ownLayoutP50)} / ${f(r.ownLayoutP99)} ms | ${f(r.ownShownP50)} / ${f(r.ownShownP99)} ms | ${r.memoryMiB.toFixed(0)} MiB |`)
  }
} finally {
  await browser.close()
  http.close()
}
