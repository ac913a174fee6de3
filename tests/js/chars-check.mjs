// The text field's arithmetic (web/src/chars.ts), checked on many random
// edits: `spliceOf` (the splice the text box records for what the browser
// wrote or a new value) always rebuilds the text and never splits a
// surrogate pair; `charIndex` and `utf16Index` told that a text has no surrogate pair count
// as the full walk does; `hasAstral` finds every surrogate. Transpiled
// with the web app's own TypeScript. Usage: node chars-check.mjs [SEED]
import { readFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import assert from "node:assert/strict"

const web = fileURLToPath(new URL("../../web/", import.meta.url))
const ts = createRequire(web + "package.json")("typescript")
const source = await readFile(web + "src/chars.ts", "utf8")
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
const { spliceOf, charIndex, utf16Index, hasAstral } = await import("data:text/javascript," + encodeURIComponent(js))

// A small seeded generator: a failure names its seed.
const start = Number(process.argv[2] ?? 20261205) >>> 0
let seed = start
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32)
const below = n => Math.floor(random() * n)
const alphabet = ["a", "b", "ⵜ", "ش", "é", "😀", "\n", " "]
const some = n => Array.from({ length: n }, () => alphabet[below(alphabet.length)])
const high = c => c >= 0xd800 && c <= 0xdbff

let recognised = 0
for (let t = 0; t < 100000; t++) {
  const cps = some(below(10))
  const before = cps.join("")
  const pos = below(cps.length + 1)
  const k = 1 + below(3)
  let after, caret
  switch (below(3)) {
    case 0: after = [...cps.slice(0, pos), ...some(k), ...cps.slice(pos)]; caret = pos + k; break // typing
    case 1: after = [...cps.slice(0, Math.max(0, pos - k)), ...cps.slice(pos)]; caret = Math.max(0, pos - k); break // backspace
    default: after = [...cps.slice(0, pos), ...cps.slice(pos + k)]; caret = pos // delete
  }
  const a = after.join("")
  const at16 = after.slice(0, caret).join("").length
  const context = JSON.stringify({ before, after: a, caret: at16, seed: start, edit: t })
  if (before !== a) recognised++
  // One splice rebuilds the text, never cutting a pair in two.
  const o = spliceOf(before, a)
  assert.equal(before.slice(0, o.at) + o.insert + before.slice(o.at + o.remove), a, `a wrong splice: ${context}`)
  assert.ok(!(o.at > 0 && high(before.charCodeAt(o.at - 1)) && o.at < before.length), `a split pair: ${context}`)

  assert.equal(hasAstral(before), cps.includes("😀"), `hasAstral: ${context}`)
  if (!hasAstral(a)) {
    for (let i = -1; i <= a.length + 1; i++) {
      assert.equal(charIndex(a, i, false), charIndex(a, i, true), `charIndex ${i}: ${context}`)
      assert.equal(utf16Index(a, i, false), utf16Index(a, i, true), `utf16Index ${i}: ${context}`)
    }
  }
}
console.log(`${recognised} edits as one splice, none wrong`)
