// Browser benchmark (bench command): what Chromium itself spends on one
// key typed into an editable text, against the text's length — the floor
// under the own-keystroke goal (issue "per-keystroke cost": 1 ms at 50,000
// characters). Three fields, each holding Arabic paragraphs of about 300
// characters, focused, the caret in the middle, a real key pressed every
// 40 ms (CDP `Input.dispatchKeyEvent`):
//   - box: the web app's `<codraft-text>` (web/src/textbox.ts), which makes
//     the edit itself from `beforeinput`;
//   - native: a bare `contenteditable="plaintext-only"` div holding the
//     same paragraphs in groups, edited by Chromium alone (no page code);
//   - textarea: a textarea sized to its content (the fields until
//     2026-12-05).
// Per field and length: keydown to the text laid out (p50 / p90, the page's
// `input` listener forcing the layout), then, from Chromium's own trace of a
// second pass, the CPU per key of the whole key (every event it
// dispatches), of `Editor::SyncSelection` within it (the caret's new place
// and the text around it sent to the input method), of the text's shaping
// (`InlineNode::SetTextWithOffset`), and of the frame that shows it
// (`WebFrameWidgetImpl::UpdateLifecycle` and the main thread's `Commit`).
// Usage: node keystroke-floor-bench.mjs [LENGTHS] (default 2000,10000,50000)
import { createServer } from "node:http"
import { readFile } from "node:fs/promises"
import { join, extname } from "node:path"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"

const lengths = (process.argv[2] ?? "2000,10000,50000").split(",").map(Number)
const keys = Number(process.env.KEYS ?? 80)
const web = fileURLToPath(new URL("../../web/", import.meta.url))
const types = { ".css": "text/css", ".woff2": "font/woff2" }
// Styled as the web app is (its stylesheet and self-hosted fonts).
const page = `<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="/fonts/fonts.css"><link rel="stylesheet" href="/style.css"><body></body>`
const http = createServer(async (req, res) => {
  const path = new URL(req.url, "http://x").pathname
  if (path === "/") { res.writeHead(200, { "content-type": "text/html" }); return res.end(page) }
  const file = path === "/style.css" ? join(web, "src/style.css") : join(web, "public", path)
  let body
  try { body = await readFile(file) } catch { res.writeHead(404); return res.end() }
  res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" })
  res.end(body)
})
await new Promise(r => http.listen(0, "127.0.0.1", r))
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] })
const ts = createRequire(web + "package.json")("typescript")
const script = async (f) => ts.transpileModule(await readFile(web + `src/${f}`, "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText.replace(/^import .*$/gm, "").replace(/^export /gm, "")
const boxJs = `${await script("chars.ts")}\n${await script("textbox.ts")}`
const q = (xs, f) => { const s = [...xs].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(f * s.length))] : 0 }

/** Chromium's trace started on `cdp`; the function returned ends it and
 *  gives the CPU time (`tdur`, not wall time) of the renderer's main
 *  thread per event name, per key. */
async function trace(cdp) {
  const events = []
  cdp.on("Tracing.dataCollected", d => events.push(...d.value))
  await cdp.send("Tracing.start", { categories: "devtools.timeline,blink,toplevel,disabled-by-default-devtools.timeline", transferMode: "ReportEvents" })
  return async () => {
    const ended = new Promise(r => cdp.once("Tracing.tracingComplete", r))
    await cdp.send("Tracing.end")
    await ended
    const main = new Set(events.filter(e => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map(e => `${e.pid}:${e.tid}`))
    const cpu = new Map()
    for (const e of events) if (e.ph === "X" && e.tdur && main.has(`${e.pid}:${e.tid}`)) cpu.set(e.name, (cpu.get(e.name) ?? 0) + e.tdur / 1000 / keys)
    return cpu
  }
}

/** One pass: a fresh page with the field, `keys` keys typed into it;
 *  the trace's CPU by event name when `traced`. */
async function pass(field, chars, traced) {
  const p = await (await browser.newContext()).newPage()
  await p.goto(`http://127.0.0.1:${http.address().port}/`)
  await p.evaluate(boxJs)
  await p.evaluate(async ({ field, chars }) => {
    const word = "الشفافية "
    const para = word.repeat(33).trimEnd()
    const paras = Array.from({ length: Math.ceil(chars / (para.length + 1)) }, () => para)
    let el
    if (field === "box") {
      el = document.createElement("codraft-text")
      el.value = paras.join("\n")
    } else if (field === "native") {
      el = document.createElement("div")
      el.contentEditable = "plaintext-only"
      for (let k = 0; k < paras.length; k += 32) {
        const g = document.createElement("div")
        for (const t of paras.slice(k, k + 32)) { const d = document.createElement("div"); d.dir = "auto"; d.textContent = t; g.append(d) }
        el.append(g)
      }
    } else {
      el = document.createElement("textarea")
      el.value = paras.join("\n")
      el.style.fieldSizing = "content"
    }
    el.dir = "rtl"
    el.style.cssText += "; display: block; white-space: pre-wrap; inline-size: 40em; font: 16px 'Noto Sans Arabic', sans-serif"
    document.body.append(el)
    await document.fonts.ready
    window.shown = []
    let t0 = 0
    window.addEventListener("keydown", () => { t0 = performance.now() }, true)
    el.addEventListener("input", () => { void el.offsetHeight; window.shown.push(performance.now() - t0) })
    el.focus()
    // The caret in the middle of the middle paragraph.
    const mid = Math.floor(paras.length / 2)
    if (field === "native") {
      const t = el.querySelectorAll("div > div")[mid].firstChild
      document.getSelection().collapse(t, 150)
    } else {
      const at = mid * (para.length + 1) + 150
      el.setSelectionRange(at, at)
    }
  }, { field, chars })
  const cdp = await p.context().newCDPSession(p)
  const traceDone = traced ? await trace(cdp) : async () => new Map()
  for (let i = 0; i < keys; i++) {
    await cdp.send("Input.dispatchKeyEvent", { type: "keyDown", key: "ⵜ", text: "ⵜ", unmodifiedText: "ⵜ" })
    await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", key: "ⵜ" })
    await new Promise(r => setTimeout(r, 40))
  }
  const shown = (await p.evaluate(() => window.shown)).slice(5)
  const cpu = await traceDone()
  await p.close()
  return { shown, cpu }
}

const f = x => x.toFixed(2)
console.log(`| field | characters | keydown to laid out, p50 / p90 | CPU per key: the key's events | of which \`Editor::SyncSelection\` | shaping (\`SetTextWithOffset\`) | the frame (lifecycle + commit) |`)
console.log(`|---|---|---|---|---|---|---|`)
for (const chars of lengths) for (const field of ["box", "native", "textarea"]) {
  const { shown } = await pass(field, chars, false)
  const { cpu } = await pass(field, chars, true)
  const c = k => cpu.get(k) ?? 0
  console.log(`| ${field} | ${chars.toLocaleString("en")} | ${f(q(shown, 0.5))} / ${f(q(shown, 0.9))} ms | ${f(c("EventDispatch"))} ms | ${f(c("Editor::SyncSelection"))} ms | ${f(c("InlineNode::SetTextWithOffset"))} ms | ${f(c("WebFrameWidgetImpl::UpdateLifecycle") + c("Commit"))} ms |`)
}

// A peer's keystroke into the box, focused (the caret elsewhere) or not: a
// splice at a random paragraph every 40 ms (`setRangeText`, as the field
// puts a remote splice in), timed to the text laid out; the trace's CPU per
// splice for the frame that shows it, and for `SyncSelection` /
// the input method's view of the text (none should run for a peer's edit).
async function remote(chars, focused, traced) {
  const p = await (await browser.newContext()).newPage()
  await p.goto(`http://127.0.0.1:${http.address().port}/`)
  await p.evaluate(boxJs)
  await p.evaluate(async ({ chars, focused }) => {
    const para = "الشفافية ".repeat(33).trimEnd()
    const n = Math.ceil(chars / (para.length + 1))
    const el = document.createElement("codraft-text")
    el.value = Array.from({ length: n }, () => para).join("\n")
    el.dir = "rtl"
    el.style.cssText = "display: block; white-space: pre-wrap; inline-size: 40em; font: 16px 'Noto Sans Arabic', sans-serif"
    document.body.append(el)
    await document.fonts.ready
    if (focused) { el.focus(); el.setSelectionRange(150, 150) }
    window.el = el
    window.n = n
    window.plen = para.length + 1
  }, { chars, focused })
  const cdp = await p.context().newCDPSession(p)
  const traceDone = traced ? await trace(cdp) : async () => new Map()
  const shown = await p.evaluate(async (keys) => {
    const out = []
    for (let i = 0; i < keys; i++) {
      await new Promise(r => setTimeout(r, 40))
      const at = Math.floor(Math.random() * window.n) * window.plen + 100
      const t = performance.now()
      window.el.setRangeText("ⵜ", at, at, "preserve")
      window.el.takeEdits()
      void window.el.offsetHeight
      out.push(performance.now() - t)
    }
    return out
  }, keys)
  const cpu = await traceDone()
  await p.close()
  return { shown: shown.slice(5), cpu }
}

console.log()
console.log(`| a peer's keystroke into the box | characters | splice to laid out, p50 / p99 | CPU per splice: the frame (lifecycle + commit) | of which \`Commit\` | \`Editor::SyncSelection\` |`)
console.log(`|---|---|---|---|---|---|`)
for (const chars of lengths) for (const focused of [false, true]) {
  const { shown } = await remote(chars, focused, false)
  const { cpu } = await remote(chars, focused, true)
  const c = k => cpu.get(k) ?? 0
  console.log(`| ${focused ? "focused, the caret elsewhere" : "not focused"} | ${chars.toLocaleString("en")} | ${f(q(shown, 0.5))} / ${f(q(shown, 0.99))} ms | ${f(c("WebFrameWidgetImpl::UpdateLifecycle") + c("Commit"))} ms | ${f(c("Commit"))} ms | ${f(c("Editor::SyncSelection"))} ms |`)
}
await browser.close()
http.close()
