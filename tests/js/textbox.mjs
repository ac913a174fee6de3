// The text fields' `<codraft-text>` (web/src/textbox.ts, transpiled with
// the web app's TypeScript) in Chromium, typed into with the keyboard:
// typing, Enter, Backspace across a line break, a selection replaced,
// a paste of several lines, an emoji erased whole, an input method's word,
// an edit from elsewhere (`setRangeText`) with the caret kept, read-only.
// After each step the element's value is the text expected, the edits it
// recorded (what the field sends) rebuild that text from the one before,
// its children are groups of at most 64 paragraphs' blocks (a group
// split as it grows, an emptied one gone), and an edit inside one paragraph
// left every other paragraph's block as it was (the same node: the browser
// lays out again only the one edited). Usage: node textbox.mjs
import { readFile } from "node:fs/promises"
import { createServer } from "node:http"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import assert from "node:assert/strict"
import { chromium } from "playwright-core"

const web = fileURLToPath(new URL("../../web/", import.meta.url))
const ts = createRequire(web + "package.json")("typescript")
// textbox.ts and the chars.ts it imports, as one script for the page.
const script = async (f) => ts.transpileModule(await readFile(web + `src/${f}`, "utf8"), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText.replace(/^import .*$/gm, "").replace(/^export /gm, "")
const js = `${await script("chars.ts")}\n${await script("textbox.ts")}`

let http = null
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] })
try {
  const context = await browser.newContext()
  await context.grantPermissions(["clipboard-read", "clipboard-write"])
  const p = await context.newPage()
  p.on("pageerror", (e) => { console.error(`page error: ${e.message}`); process.exitCode = 1 })
  // Served from 127.0.0.1 (a secure context: the clipboard is there).
  const html = `<!doctype html><html dir="rtl" lang="ar"><meta charset="utf-8"><body><label for="box">Minutes</label><codraft-text id="box"></codraft-text><button id="other">other</button></body></html>`
  http = createServer((_, res) => { res.writeHead(200, { "content-type": "text/html; charset=utf-8" }); res.end(html) })
  await new Promise((r) => http.listen(0, "127.0.0.1", r))
  await p.goto(`http://127.0.0.1:${http.address().port}/`)
  await p.evaluate(js)
  await p.evaluate(() => {
    const box = document.getElementById("box")
    box.value = "سطر أول\nligne deux\nⵜⵉⴼⵉⵏⴰⵖ"
    window.inputs = []
    // The edits the box records, applied to a copy as the field sends them
    // to the client: the copy must stay the box's text.
    box.takeEdits()
    window.copy = box.value
    window.wrongEdits = []
    window.drain = () => {
      const edits = box.takeEdits()
      if (edits === null) return window.wrongEdits.push("edits lost")
      for (const e of edits) {
        if (window.copy.slice(e.at, e.at + e.removed.length) !== e.removed) window.wrongEdits.push(JSON.stringify(e))
        window.copy = window.copy.slice(0, e.at) + e.insert + window.copy.slice(e.at + e.removed.length)
      }
    }
    box.addEventListener("input", (e) => { window.inputs.push(e.inputType); window.drain() })
    // The paragraphs' blocks, through their groups.
    window.blocks = () => [...box.childNodes].flatMap((g) => [...g.childNodes])
  })
  const box = p.locator("#box")
  // The value, the paragraphs' texts, and whether the blocks are in shape.
  const state = () => p.evaluate(() => {
    const box = document.getElementById("box")
    window.drain()
    return {
      copy: window.copy,
      wrongEdits: window.wrongEdits,
      value: box.value,
      paras: window.blocks().map((d) => d.nodeName === "DIV" && d.childNodes.length === 1 ? (d.firstChild.nodeName === "BR" ? "" : d.firstChild.nodeType === 3 ? d.textContent : "?") : "?"),
      groups: [...box.childNodes].map((g) => g.nodeName === "DIV" ? g.childNodes.length : -1),
      sel: [box.selectionStart, box.selectionEnd],
    }
  })
  const expect = async (value, what) => {
    const s = await state()
    assert.equal(s.value, value, what)
    assert.deepEqual(s.paras, value.split("\n"), `${what}: one block per paragraph`)
    assert.ok(s.groups.every((n) => n >= 1 && n <= 64), `${what}: groups of 1 to 64 paragraphs (${s.groups})`)
    assert.deepEqual(s.wrongEdits, [], `${what}: the recorded edits`)
    assert.equal(s.copy, value, `${what}: the recorded edits rebuild the text`)
    return s
  }
  // Marks every paragraph's block; after an edit inside paragraph k,
  // all other blocks are still the marked ones.
  const mark = () => p.evaluate(() => { window.marked = window.blocks() })
  const keptExcept = (k) => p.evaluate((k) => {
    const now = window.blocks()
    return now.length === window.marked.length && now.every((n, i) => i === k || n === window.marked[i])
  }, k)

  assert.equal(await p.evaluate(() => document.getElementById("box").labels?.length), 1, "named by its label")
  await expect("سطر أول\nligne deux\nⵜⵉⴼⵉⵏⴰⵖ", "the value set")

  // Typing at the end of the second paragraph.
  await box.click()
  await p.evaluate(() => document.getElementById("box").setSelectionRange(18, 18))
  await mark()
  await p.keyboard.type(" et trois", { delay: 5 })
  let s = await expect("سطر أول\nligne deux et trois\nⵜⵉⴼⵉⵏⴰⵖ", "typed")
  assert.deepEqual(s.sel, [27, 27], "the caret after the typed words")
  assert.ok(await keptExcept(1), "typing in one paragraph leaves the others' blocks alone")
  assert.ok((await p.evaluate(() => window.inputs)).filter((k) => k === "insertText").length >= 9, "an input event per keystroke")

  // Enter splits the paragraph; Backspace at a paragraph's start joins it back.
  await p.keyboard.press("Enter")
  await expect("سطر أول\nligne deux et trois\n\nⵜⵉⴼⵉⵏⴰⵖ", "Enter")
  await p.keyboard.type("ajout")
  await expect("سطر أول\nligne deux et trois\najout\nⵜⵉⴼⵉⵏⴰⵖ", "typed on the new line")
  await p.keyboard.press("Home")
  await p.keyboard.press("Backspace")
  s = await expect("سطر أول\nligne deux et troisajout\nⵜⵉⴼⵉⵏⴰⵖ", "Backspace joins two paragraphs")
  assert.deepEqual(s.sel, [27, 27], "the caret where they joined")

  // A selection across a line break, replaced by typing.
  await p.evaluate(() => document.getElementById("box").setSelectionRange(4, 14))
  await p.keyboard.type("X")
  await expect("سطر Xdeux et troisajout\nⵜⵉⴼⵉⵏⴰⵖ", "a selection over two paragraphs replaced")

  // A paste of several lines.
  await p.evaluate(() => navigator.clipboard.writeText("un\r\ndeux\ntrois"))
  await p.evaluate(() => document.getElementById("box").setSelectionRange(5, 5))
  await p.keyboard.press("Control+V")
  await expect("سطر Xun\ndeux\ntroisdeux et troisajout\nⵜⵉⴼⵉⵏⴰⵖ", "pasted lines")

  // An emoji erased whole.
  await p.keyboard.press("Control+End")
  await p.keyboard.type(" 😀😀")
  await p.keyboard.press("Backspace")
  await expect("سطر Xun\ndeux\ntroisdeux et troisajout\nⵜⵉⴼⵉⵏⴰⵖ 😀", "Backspace erases a surrogate pair whole")

  // An input method's word: the browser writes it, the box reads it back.
  await p.keyboard.press("Control+Home")
  const cdp = await context.newCDPSession(p)
  await cdp.send("Input.imeSetComposition", { text: "ش", selectionStart: 1, selectionEnd: 1 })
  await cdp.send("Input.imeSetComposition", { text: "شك", selectionStart: 2, selectionEnd: 2 })
  await cdp.send("Input.insertText", { text: "شكرا" })
  s = await expect("شكراسطر Xun\ndeux\ntroisdeux et troisajout\nⵜⵉⴼⵉⵏⴰⵖ 😀", "a composed word")
  assert.deepEqual(s.sel, [4, 4], "the caret after the composed word")

  // An edit from elsewhere before the caret: the caret stays after the same
  // letters, and only that paragraph's block changed.
  const splice = (v, at, text) => v.slice(0, at) + text + v.slice(at)
  let v = s.value
  const deux = v.indexOf("deux")
  await p.evaluate((at) => document.getElementById("box").setSelectionRange(at, at), deux + 2)
  await mark()
  await p.evaluate((at) => document.getElementById("box").setRangeText("[ي]", at, at, "preserve"), deux)
  v = splice(v, deux, "[ي]")
  s = await expect(v, "an edit from elsewhere")
  assert.deepEqual(s.sel, [deux + 5, deux + 5], "the caret moved with the text before it")
  assert.ok(await keptExcept(1), "an edit from elsewhere leaves the other paragraphs' blocks alone")
  await p.evaluate(() => document.getElementById("box").setRangeText("!", 0, 0, "preserve"))
  v = splice(v, 0, "!")
  s = await expect(v, "an edit from elsewhere at the start")
  assert.deepEqual(s.sel, [deux + 6, deux + 6], "the caret moved again")
  // The document's selection moved with the text node's edit by itself:
  // the box does not set it again (0.6 ms of Chromium's per remote edit).
  const sets = await p.evaluate(() => {
    let n = 0
    const set = Selection.prototype.setBaseAndExtent
    Selection.prototype.setBaseAndExtent = function (...args) { n++; return set.apply(this, args) }
    document.getElementById("box").setRangeText("?", 1, 1, "preserve")
    Selection.prototype.setBaseAndExtent = set
    return n
  })
  v = splice(v, 1, "?")
  s = await expect(v, "an edit from elsewhere, in another paragraph")
  assert.deepEqual(s.sel, [deux + 7, deux + 7], "the caret moved once more")
  assert.equal(sets, 0, "a remote edit leaves the selection to the DOM where it is right")
  const troi = v.indexOf("trois") + 4
  await p.evaluate((at) => document.getElementById("box").setRangeText("\n", at, at, "preserve"), troi)
  v = splice(v, troi, "\n")
  s = await expect(v, "a line break from elsewhere")
  assert.deepEqual(s.sel, [deux + 7, deux + 7], "the caret before it stays")

  // The selection kept while the focus is elsewhere, as a textarea's.
  await p.evaluate(() => document.getElementById("box").setSelectionRange(3, 5))
  await p.locator("#other").focus()
  assert.deepEqual((await state()).sel, [3, 5], "kept without the focus")
  await p.evaluate(() => document.getElementById("box").setSelectionRange(1, 1))
  await p.evaluate(() => document.getElementById("box").focus())
  await p.keyboard.type("+")
  v = splice(v, 1, "+")
  await expect(v, "typed where the selection was set without the focus")

  // A new value, one character shorter: recorded as that one deletion.
  v = v.slice(1)
  await p.evaluate((v) => { document.getElementById("box").value = v }, v)
  await expect(v, "a new value")

  // The browser's own undo does not run (the page's undo handles it).
  await p.keyboard.press("Control+z")
  await expect(v, "no native undo")

  // Read-only: focusable, nothing typed goes in.
  await p.evaluate(() => { document.getElementById("box").readOnly = true })
  await box.click()
  await p.keyboard.type("nope")
  await p.keyboard.press("Backspace")
  await expect(v, "read-only")
  assert.equal(await p.evaluate(() => document.activeElement.id), "box", "read-only, still focusable")

  // A long text: its paragraphs in groups; a paste of many lines splits
  // its group, a selection over groups typed over joins them, and the
  // caret and edits are counted across groups.
  const many = Array.from({ length: 100 }, (_, i) => `§${i}`).join("\n")
  await p.evaluate((v) => { const b = document.getElementById("box"); b.readOnly = false; b.value = v }, many)
  s = await expect(many, "a hundred paragraphs")
  assert.deepEqual(s.groups, [32, 32, 32, 4], "drawn in groups of 32")
  await p.evaluate((at) => document.getElementById("box").setSelectionRange(at, at), many.indexOf("§40") + 3)
  await mark()
  await p.keyboard.type("x")
  v = splice(many, many.indexOf("§40") + 3, "x")
  s = await expect(v, "typed in the second group")
  assert.ok(await keptExcept(40), "typing in one group leaves every other paragraph's block alone")
  await p.evaluate(() => navigator.clipboard.writeText(Array.from({ length: 70 }, (_, i) => `p${i}`).join("\n")))
  const at = v.indexOf("§50")
  await p.evaluate((at) => document.getElementById("box").setSelectionRange(at, at), at)
  await p.keyboard.press("Control+V")
  v = splice(v, at, Array.from({ length: 70 }, (_, i) => `p${i}`).join("\n"))
  s = await expect(v, "seventy lines pasted into a group")
  assert.equal(s.groups.reduce((a, b) => a + b), 169, "every paragraph in a group")
  assert.ok(s.groups.length > 4, `the grown group split (${s.groups})`)
  const from = v.indexOf("§10"), to = v.indexOf("p20")
  await p.evaluate(([a, b]) => document.getElementById("box").setSelectionRange(a, b), [from, to])
  await p.keyboard.type("Y")
  v = v.slice(0, from) + "Y" + v.slice(to)
  s = await expect(v, "a selection over three groups typed over")
  assert.deepEqual(s.sel, [from + 1, from + 1], "the caret after the letter typed")
  await p.keyboard.press("Control+End")
  await p.keyboard.press("Backspace")
  v = v.slice(0, -1)
  s = await expect(v, "Backspace at the end of the last group")
  assert.deepEqual(s.sel, [v.length, v.length], "the caret at the end")

  // Text the browser wrote between two blocks of a group (its own editing
  // may, for an input method's words): read back as a paragraph of its
  // own, every other line break kept, the groups drawn again in shape.
  const lines = v.split("\n")
  lines.splice(2, 0, "stray")
  await p.evaluate(() => {
    const box = document.getElementById("box")
    const g = box.firstChild
    g.insertBefore(document.createTextNode("stray"), g.childNodes[2])
    box.stale = true // as a trusted input event marks it, and reads it back
    void box.value
  })
  v = lines.join("\n")
  await expect(v, "text written between two blocks of a group")

  // An empty box: one empty paragraph, typed into.
  await p.evaluate(() => { const b = document.getElementById("box"); b.readOnly = false; b.value = "" })
  await expect("", "emptied")
  await box.click()
  await p.keyboard.type("أ")
  await expect("أ", "typed into an empty box")
  console.log("textbox test passed")
} finally {
  await browser.close()
  http?.close()
}
