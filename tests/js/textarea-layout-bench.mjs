// Browser benchmark (bench command): what Chromium itself spends to lay out
// a text field after one character is put into it, against the length of
// the text. The web app's fields are textareas sized to their content
// (web/src/fields.ts); a remote keystroke is "shown" once the browser has
// laid the field out again, whatever the client did before. Beside them, the
// same text as paragraphs of a contenteditable element, for comparison.
// Usage: node textarea-layout-bench.mjs
import { chromium } from "playwright-core"

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] })
try {
  const p = await browser.newPage()
  await p.setContent(`<!doctype html><meta charset="utf-8"><body></body>`)
  const rows = await p.evaluate(() => {
    const word = "الشفافية "
    const q = (xs, f) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(f * s.length))] }
    const out = []
    for (const n of [2000, 5000, 10000, 20000, 50000]) {
      // a paragraph every 400 characters, as minutes are written
      const text = word.repeat(Math.ceil(n / word.length)).slice(0, n).replace(/(.{400})/gs, "$1\n")
      const row = { n }
      for (const kind of ["textarea", "paragraphs"]) {
        let el
        if (kind === "textarea") {
          el = document.createElement("textarea")
          el.style.cssText = "field-sizing: content; inline-size: 40em"
          el.value = text
        } else {
          el = document.createElement("div")
          el.contentEditable = "true"
          el.style.cssText = "inline-size: 40em"
          for (const line of text.split("\n")) { const para = document.createElement("p"); para.textContent = line; el.append(para) }
        }
        el.dir = "rtl"
        document.body.replaceChildren(el)
        void el.offsetHeight
        const times = []
        for (let i = 0; i < 100; i++) {
          const at = Math.floor(Math.random() * (n - 500))
          const t = performance.now()
          if (kind === "textarea") el.setRangeText("ⵜ", at, at, "preserve")
          else el.children[Math.floor(at / 401)].firstChild.insertData(5, "ⵜ")
          void el.offsetHeight
          times.push(performance.now() - t)
        }
        row[kind] = [q(times, 0.5), q(times, 0.99)]
      }
      out.push(row)
    }
    return out
  })
  console.log("| characters | textarea (the web app's field), p50 / p99 | paragraphs of a contenteditable element, p50 / p99 |")
  console.log("|---|---|---|")
  const f = ([a, b]) => `${a.toFixed(2)} / ${b.toFixed(2)} ms`
  for (const r of rows) console.log(`| ${r.n} | ${f(r.textarea)} | ${f(r.paragraphs)} |`)
} finally {
  await browser.close()
}
