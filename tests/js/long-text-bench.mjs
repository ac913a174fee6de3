// Browser benchmark of a long text (bench command): one WASM client in
// Chromium holds a document with one text of N characters while `typists`
// people type into it (the load generator's relaying clients, through the
// server), and the page types a keystroke of its own every 100 ms. Measures,
// per batch of frames the client takes in (one animation frame's), the time
// from taking them to the patches handed to the page; the remote keystrokes
// per batch; the page's own keystroke; the WASM memory. Run with batching on
// (one pass of the text per batch) and off (one per message, as before).
// The own keystroke is a real key pressed into the focused field (CDP
// `Input.dispatchKeyEvent`, every 100 ms), shown by the box itself
// (web/src/textbox.ts, transpiled with the web app's TypeScript) and
// handed to the client after the paint as web/src/fields.ts does: timed
// from the keydown to the text laid out, and the hand-over (the splice
// and the caret's two cursors by code points) apart.
// Usage: node long-text-bench.mjs ws://HOST:PORT/sync PKG_DIR BENCH_BIN CHARS TYPISTS SECONDS
import { createServer } from "node:http"
import { readFile } from "node:fs/promises"
import { join, extname } from "node:path"
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"

const [syncUrl, pkgDir, benchBin, chars = "50000", typists = "20", seconds = "20"] = process.argv.slice(2)
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".woff2": "font/woff2" }
const web = fileURLToPath(new URL("../../web/", import.meta.url))
// The page is styled as the web app is: its stylesheet and its self-hosted
// fonts (web/src/style.css, web/public/fonts), the text in Noto Sans Arabic.
const page = `<!doctype html><meta charset="utf-8">
<link rel="stylesheet" href="/fonts/fonts.css"><link rel="stylesheet" href="/style.css">
<script type="module">
import init, { CodraftClient } from "./codraft_client.js"
window.wasm = await init()
window.CodraftClient = CodraftClient
window.ready = true
</script>`
const http = createServer(async (req, res) => {
  const path = new URL(req.url, "http://x").pathname
  if (path === "/") { res.writeHead(200, { "content-type": "text/html" }); return res.end(page) }
  const file = path === "/style.css" ? join(web, "src/style.css")
    : path.startsWith("/fonts/") ? join(web, "public", path)
    : join(pkgDir, path)
  let body
  try { body = await readFile(file) } catch { res.writeHead(404); return res.end() }
  res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" })
  res.end(body)
})
await new Promise(r => http.listen(0, "127.0.0.1", r))
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
})
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
  p.on("console", m => { if (m.text().startsWith("DIFF")) console.error(m.text()) })
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
    c.measureBatches()
    c.connect()
    await waitFor(() => c.connectionState() === "online")
    // Minutes: paragraphs of about 300 characters.
    const word = "الشفافية "
    const para = word.repeat(33).trimEnd() + "\n"
    const url = c.create({ minutes: para.repeat(Math.ceil(chars / para.length)) })
    await waitFor(() => c.saveState(url) === "saved")
    window.client = c
    window.url = url
    const ta = document.createElement(fieldKind)
    ta.dir = "rtl"
    ta.style.cssText = "display: block; white-space: pre-wrap; field-sizing: content; inline-size: 40em"
    ta.value = c.read(url, ["minutes"])
    ta.takeEdits?.() // the document's text, not an edit
    window.fieldLength = ta.value.length
    document.body.append(ta)
    await document.fonts.ready
    window.field = ta
    window.memoryAfterLoad = window.wasm.memory.buffer.byteLength
    return url
  }, { syncUrl, chars: Number(chars), batching, fieldKind })
  const id = url.replace(/^automerge:/, "")
  // OTHERS_NICE=1: the typists run at the lowest priority (`nice -n 19`).
  // They stand for other people's machines, and so does the server (started
  // niced too, as bench.sh does for this run): on this 2-core machine the
  // page then waits for none of them, as a user's browser would not.
  const typistArgs = ["--typists-url", syncUrl, "--typists-doc", id, "--typists", typists, "--typists-secs", seconds]
  const load = process.env.OTHERS_NICE
    ? spawn("nice", ["-n", "19", benchBin, ...typistArgs], { stdio: ["ignore", "pipe", "inherit"] })
    : spawn(benchBin, typistArgs, { stdio: ["ignore", "pipe", "inherit"] })
  let typed = ""
  load.stdout.on("data", d => { typed += d })
  const done = new Promise(r => load.on("exit", r))
  // PROFILE=1: a CPU profile of the batched run, its top functions by self time.
  const cdp = batching && process.env.PROFILE ? await p.context().newCDPSession(p) : null
  let profiledFrom = 0
  // TRACE=1: Chromium's own trace of the batched run (devtools.timeline,
  // blink), its events summed by name: what the renderer does for the
  // keystrokes beyond the page's JavaScript (layout, shaping, paint).
  const tr = batching && process.env.TRACE ? await p.context().newCDPSession(p) : null
  const events = []
  if (tr) {
    tr.on("Tracing.dataCollected", d => events.push(...d.value))
    await tr.send("Tracing.start", { categories: "devtools.timeline,blink,disabled-by-default-devtools.timeline", transferMode: "ReportEvents" })
  }
  if (cdp) {
    await cdp.send("Profiler.enable"); await cdp.send("Profiler.setSamplingInterval", { interval: 100 }); await cdp.send("Profiler.start")
    profiledFrom = await p.evaluate(() => performance.now())
  }
  // The page's own keystrokes are real ones: a key pressed through the
  // browser's input pipeline (CDP `Input.dispatchKeyEvent`) into the
  // focused field, at its caret, every 100 ms.
  await p.evaluate((inline) => {
    const c = window.client
    const ta = window.field
    // As web/src/fields.ts: the box makes the edit itself (its
    // beforeinput) and the field hands it to the client once the frame is
    // painted — or sooner, before the client takes in a remote batch
    // (`setBeforeRemote`). Timed: from the keydown to the edit made and
    // the input event over, the layout after it (forced here, where the
    // frame would do it), and the hand-over.
    window.own = { shown: [], edit: [], layout: [], handOver: [] }
    let pending = false
    let t0 = 0
    const handOver = () => {
      if (!pending) return
      pending = false
      const t = performance.now()
      const at = ta.selectionStart
      // The field's text never holds a surrogate pair here: UTF-16
      // offsets are code points (fields.ts commitNow()).
      const edits = ta.takeEdits?.() ?? [{ at: at - 1, removed: "", insert: "ⵜ" }]
      for (const e of edits) {
        c.spliceChars(window.url, ["minutes"], e.at, e.removed.length, e.insert, window.fieldLength)
        window.fieldLength += e.insert.length - e.removed.length
      }
      c.cursorAt(window.url, ["minutes"], at)
      c.cursorAt(window.url, ["minutes"], at - 1)
      window.own.handOver.push(performance.now() - t)
    }
    c.setBeforeRemote(handOver)
    window.addEventListener("keydown", () => { t0 = performance.now() }, true)
    ta.addEventListener("input", () => {
      // HANDOVER=inline: in the keystroke, as the field did until
      // 2026-12-06 (the hand-over's time is then inside `shown`).
      if (inline) { pending = true; handOver() }
      const t1 = performance.now()
      void ta.offsetHeight
      const t2 = performance.now()
      window.own.edit.push(t1 - t0)
      window.own.layout.push(t2 - t1)
      window.own.shown.push(t2 - t0)
      if (inline) return
      pending = true
      requestAnimationFrame(() => setTimeout(handOver, 0))
    })
    ta.focus()
    const mid = Math.floor(ta.value.length / 2)
    ta.setSelectionRange(mid, mid)
    c.takeBatchTimes()
  }, process.env.HANDOVER === "inline")
  const keys = await p.context().newCDPSession(p)
  const until = Date.now() + Number(seconds) * 1000 + 3000
  while (Date.now() < until) {
    await keys.send("Input.dispatchKeyEvent", { type: "keyDown", key: "ⵜ", text: "ⵜ", unmodifiedText: "ⵜ" })
    await keys.send("Input.dispatchKeyEvent", { type: "keyUp", key: "ⵜ" })
    await new Promise(r => setTimeout(r, 100))
  }
  await new Promise(r => setTimeout(r, 300))
  const result = await p.evaluate(() => {
    const c = window.client
    const times = Array.from(c.takeBatchTimes())
    const shown = window.field.value, doc = c.read(window.url, ["minutes"])
    const shownRight = shown === doc
    if (!shownRight) { let i = 0; while (shown[i] === doc[i]) i++; console.log(`DIFF at ${i}: shown ${shown.length} doc ${doc.length} fieldLength ${window.fieldLength}: shown «${shown.slice(i - 5, i + 10)}» doc «${doc.slice(i - 5, i + 10)}»`) }
    return { own: window.own, times, memory: window.wasm.memory.buffer.byteLength, memoryAfterLoad: window.memoryAfterLoad, layouts: window.layouts, spliced: window.spliced, wholeReads: window.wholeReads, shownRight }
  })
  await done
  if (tr) {
    const ended = new Promise(r => tr.once("Tracing.tracingComplete", r))
    await tr.send("Tracing.end"); await ended
    const by = new Map()
    for (const e of events) if (e.ph === "X" && e.dur) { const k = e.name; const v = by.get(k) ?? [0, 0]; v[0] += e.dur / 1000; v[1]++; by.set(k, v) }
    for (const [k, [ms, n]] of [...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 30)) console.error(`TRACE ${ms.toFixed(0).padStart(6)} ms ${String(n).padStart(6)}  ${k}`)
  }
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
    memoryMiB: result.memory / 1048576, memoryAfterLoadMiB: result.memoryAfterLoad / 1048576,
    layoutP50: q(result.layouts, 0.5), layoutP99: q(result.layouts, 0.99),
    batchP90: q(durations, 0.9),
    ownShownP50: q(result.own.shown, 0.5), ownShownP90: q(result.own.shown, 0.9), ownShownP99: q(result.own.shown, 0.99),
    ownEditP50: q(result.own.edit, 0.5), ownEditP99: q(result.own.edit, 0.99), ownLayoutP50: q(result.own.layout, 0.5), ownLayoutP99: q(result.own.layout, 0.99),
    handOverP50: q(result.own.handOver, 0.5), handOverP99: q(result.own.handOver, 0.99), ownKeys: result.own.shown.length,
    spliced: result.spliced, wholeReads: result.wholeReads, shownRight: result.shownRight,
  }
}

try {
  const rows = [await run(false), await run(true)]
  console.log(`| ${chars} characters, ${typists} typing at 1/s | batches | remote keystrokes | batch p50 / p90 / p99 (applied and put in the field) | layout after, p50 / p99 | splices / whole reads | per remote keystroke (mean) | main thread busy | own keys | own keystroke shown (keydown to laid out), p50 / p90 / p99 | of which the edit and its events, p50 / p99 | the layout, p50 / p99 | hand-over to the client after the paint, p50 / p99 | WASM memory |`)
  console.log(`(field: ${fieldKind})`)
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
  for (const r of rows) {
    const f = x => x.toFixed(2)
    console.log(`| ${r.batching ? "batched (now)" : "one message at a time (before)"} | ${r.batches} | ${r.remoteKeystrokes} | ${f(r.batchP50)} / ${f(r.batchP90)} / ${f(r.batchP99)} ms | ${f(r.layoutP50)} / ${f(r.layoutP99)} ms | ${r.spliced} / ${r.wholeReads}${r.shownRight ? "" : " (FIELD DIFFERS)"} | ${f(r.perKeystrokeMean)} ms | ${(r.busyShare * 100).toFixed(0)} % | ${r.ownKeys} | ${f(r.ownShownP50)} / ${f(r.ownShownP90)} / ${f(r.ownShownP99)} ms | ${f(r.ownEditP50)} / ${f(r.ownEditP99)} ms | ${f(r.ownLayoutP50)} / ${f(r.ownLayoutP99)} ms | ${f(r.handOverP50)} / ${f(r.handOverP99)} ms | ${r.memoryMiB.toFixed(0)} MiB |`)
  }
} finally {
  await browser.close()
  http.close()
}
