// Browser benchmark (bench command): what Chromium itself spends to lay out
// a text field after one character is put into it, against the length of
// the text. The web app's fields are textareas sized to their content
// (web/src/fields.ts); a remote keystroke is "shown" once the browser has
// laid the field out again, whatever the client did before. The web app's
// fields were textareas until 2026-12-05; they are now `<codraft-text>`
// (web/src/textbox.ts): paragraphs in groups of 32. Compared: a textarea,
// the same paragraphs as one block (Chromium's layout walks all of a
// block's children), and in groups; with paragraphs of 400 characters,
// then of 30 (many short lines).
// Usage: node textarea-layout-bench.mjs
import { chromium } from "playwright-core"

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] })
try {
  const p = await browser.newPage()
  await p.setContent(`<!doctype html><meta charset="utf-8"><body></body>`)
  const rows = await p.evaluate(async () => {
    const word = "الشفافية "
    const q = (xs, f) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(f * s.length))] }
    const out = []
    for (const [n, every] of [[2000, 400], [10000, 400], [50000, 400], [10000, 30], [50000, 30]]) {
      // a paragraph every `every` characters
      const text = word.repeat(Math.ceil(n / word.length)).slice(0, n).replace(new RegExp(`(.{${every}})`, "gs"), "$1\n")
      const row = { n, every }
      for (const kind of ["textarea", "paragraphs", "groups"]) {
        let el
        if (kind === "textarea") {
          el = document.createElement("textarea")
          el.style.cssText = "field-sizing: content; inline-size: 40em"
          el.value = text
        } else {
          el = document.createElement("div")
          el.contentEditable = "true"
          el.style.cssText = "inline-size: 40em; white-space: pre-wrap"
          const paras = text.split("\n").map((line) => { const d = document.createElement("div"); d.textContent = line; return d })
          for (let k = 0; k < paras.length; k += kind === "paragraphs" ? paras.length : 32) {
            if (kind === "paragraphs") { el.append(...paras); break }
            const g = document.createElement("div")
            g.append(...paras.slice(k, k + 32))
            el.append(g)
          }
          el.paras = paras
        }
        el.dir = "rtl"
        document.body.replaceChildren(el)
        void el.offsetHeight
        // Two frames, as a page would have drawn it.
        for (let k = 0; k < 2; k++) await new Promise((r) => requestAnimationFrame(r))
        const times = []
        for (let i = 0; i < 100; i++) {
          const at = Math.floor(Math.random() * (n - 500))
          const t = performance.now()
          if (kind === "textarea") el.setRangeText("ⵜ", at, at, "preserve")
          else el.paras[Math.floor(at / (every + 1))].firstChild.insertData(1, "ⵜ")
          void el.offsetHeight
          times.push(performance.now() - t)
        }
        row[kind] = [q(times, 0.5), q(times, 0.99)]
      }
      out.push(row)
    }
    return out
  })
  console.log("| characters | a paragraph every | textarea, p50 / p99 | paragraphs in one block, p50 / p99 | paragraphs in groups of 32 (the app's field), p50 / p99 |")
  console.log("|---|---|---|---|---|")
  const f = ([a, b]) => `${a.toFixed(2)} / ${b.toFixed(2)} ms`
  for (const r of rows) console.log(`| ${r.n} | ${r.every} | ${f(r.textarea)} | ${f(r.paragraphs)} | ${f(r.groups)} |`)
} finally {
  await browser.close()
}
