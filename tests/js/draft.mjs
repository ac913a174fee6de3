// A card's link opened before the WASM client is in, in Debian's Chromium:
// the client's download is held back (as a slow phone network would), and
// Amina's page shows MO0056 from the server's copy; she types into the
// French summary at once (only texts take typing: choices and row buttons
// wait), while Yassine, live, types at its start. Once her client is in,
// both sentences are there for both, her caret where she left it, saved
// by the server; words typed on the copy survive a reload before the client
// comes, and leaving the card before it comes.
// Usage: node draft.mjs http://HOST:PORT ARTIFACT_DIR
import assert from "node:assert/strict"
import { join } from "node:path"
import { launch, signedIn, waiter } from "./chromium.mjs"

const [origin, artifacts] = process.argv.slice(2)
const browser = await launch(artifacts)
const step = (s) => console.log(`step: ${s}`)
const pageErrors = []
const until = waiter(artifacts, "draft-failure")
const FIELD = 'codraft-text[data-path="summary/fr/text"]'

/** Holds every request for the WASM client until `release()`. */
async function holdWasm(page) {
  let release
  const gate = new Promise((r) => (release = r))
  await page.route(/\.wasm$/, async (route) => {
    await gate
    await route.continue()
  })
  return release
}

try {
  step("Yassine has MO0056 open, live")
  const y = await signedIn(browser, origin, "Yassine", "yassine@example.org", pageErrors)
  await y.goto(origin)
  const link = y.locator(".card-link", { hasText: "MO0056" })
  const href = await link.getAttribute("href")
  await link.click()
  await y.waitForSelector(FIELD)
  await until(y, "Yassine saved", () => document.getElementById("status")?.dataset.state === "saved", undefined, 20000)
  const before = await y.locator(FIELD).evaluate(el => el.value)
  assert.ok(before.length > 20, "the demo summary has text")

  step("Amina opens the link; the client is held back: the card shows from the server's copy")
  const a = await signedIn(browser, origin, "Amina", "amina@example.org", pageErrors)
  const release = await holdWasm(a)
  await a.goto(`${origin}/${href}`)
  await until(a, "the drafted card", (f) => {
    const el = document.querySelector(f)
    return el && !el.readOnly && el.value.length > 0 && document.getElementById("status")?.dataset.state === "draft"
  }, FIELD, 20000)
  assert.equal(await a.locator(FIELD).evaluate(el => el.value), before, "the server's copy")
  assert.match(await a.locator("#status").textContent(), /ما تكتبه محفوظ/, "the status says typing is kept, in Arabic")
  assert.match(await a.locator(".draft-note").textContent(), /الآن/, "the side says what comes next")
  const selects = await a.locator(".fields select").evaluateAll((els) => els.map((e) => e.disabled))
  assert.ok(selects.length > 0 && selects.every(Boolean), "choices wait for the live client")
  assert.ok(await a.locator(".fields .table-wrap button").first().isDisabled(), "row buttons wait too")
  assert.equal(await a.evaluate(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm") && e.responseEnd > 0)), false, "no WASM yet")

  step("Amina types at the end")
  await a.locator(FIELD).click()
  await a.keyboard.press("Control+End")
  await a.keyboard.type(" Tapé avant le client.")
  await a.screenshot({ path: join(artifacts, "draft-card.png") })

  step("a reload before the client is in shows her words again")
  await a.reload()
  await until(a, "drafted again, with her words", (f) => document.querySelector(f)?.value.endsWith(" Tapé avant le client.")
    && document.getElementById("status")?.dataset.state === "draft", FIELD, 20000)
  await a.locator(FIELD).click()
  await a.keyboard.press("Control+End")
  await a.keyboard.type(" Encore.")

  step("meanwhile Yassine types at the start")
  await y.locator(FIELD).click()
  await y.keyboard.press("Control+Home")
  await y.keyboard.type("Yassine : ")
  await until(y, "Yassine's words saved", () => document.getElementById("status")?.dataset.state === "saved", undefined, 20000)
  assert.ok(!(await a.locator(FIELD).evaluate(el => el.value)).startsWith("Yassine"), "the draft is the copy plus her words")

  step("the client comes: both sentences, for both, saved; her caret stays")
  release()
  const both = (f) => {
    const v = document.querySelector(f)?.value ?? ""
    return v.startsWith("Yassine : ") && v.includes(" Tapé avant le client.") && v.endsWith(" Encore.")
  }
  await until(a, "Amina has both", both, FIELD, 30000)
  await until(a, "Amina saved", () => document.getElementById("status")?.dataset.state === "saved", undefined, 30000)
  await until(y, "Yassine has both", both, FIELD, 20000)
  assert.equal(await a.locator(FIELD).evaluate(el => el.value), await y.locator(FIELD).evaluate(el => el.value))
  assert.equal((await a.locator(FIELD).evaluate(el => el.value)).match(/Tapé avant le client\./g).length, 1, "merged once")
  // Live now: choices and the side panels are there.
  await until(a, "live controls", () => [...document.querySelectorAll(".fields select")].some((s) => !s.disabled) && !!document.getElementById("sec-review"))
  assert.equal(await a.evaluate(() => document.activeElement?.dataset.path), "summary/fr/text", "the focus stays in her field")
  await a.keyboard.type("!")
  await until(a, "typing goes on at her caret", (f) => document.querySelector(f)?.value.endsWith(" Encore.!"), FIELD)
  await until(y, "and reaches Yassine", (f) => document.querySelector(f)?.value.endsWith(" Encore.!"), FIELD)
  // A keystroke goes as one splice by code points (web/src/chars.ts):
  // characters of two UTF-16 units, typed and erased, arrive whole.
  await a.keyboard.type(" 😀😀")
  await a.keyboard.press("Backspace")
  await a.keyboard.type("ⵣ")
  await until(y, "astral characters reach Yassine whole", (f) => document.querySelector(f)?.value.endsWith(" Encore.! 😀ⵣ"), FIELD)
  assert.ok((await a.locator(FIELD).evaluate(el => el.value)).endsWith(" Encore.! 😀ⵣ"))
  const res = await a.request.get(`${origin}/api/documents/${encodeURIComponent(decodeURIComponent(href.split("#/card/")[1]))}/export?format=md&lang=fr`)
  const md = await res.text()
  assert.ok(md.includes("Yassine : ") && md.includes("Tapé avant le client. Encore.! 😀ⵣ"), "the server has both")
  assert.equal(await a.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("codraft.draft.")).length), 0, "nothing left to merge")
  await a.screenshot({ path: join(artifacts, "draft-live.png") })

  step("Salma leaves a drafted card before the client is in: her words are merged all the same")
  const s = await signedIn(browser, origin, "Salma", "salma@example.org", pageErrors)
  const releaseS = await holdWasm(s)
  await s.goto(`${origin}/${href}`)
  await until(s, "Salma's drafted card", (f) => {
    const el = document.querySelector(f)
    return el && !el.readOnly && el.value.endsWith(" 😀ⵣ") && document.getElementById("status")?.dataset.state === "draft"
  }, FIELD, 20000)
  await s.locator(FIELD).click()
  await s.keyboard.press("Control+End")
  await s.keyboard.type(" Salma.")
  await s.evaluate(() => { location.hash = "#/" })
  releaseS()
  await until(s, "home, live", () => !!document.querySelector(".card-link")
    && ["online", "saved"].includes(document.getElementById("status")?.dataset.state), undefined, 30000)
  await until(y, "Salma's words reach Yassine", (f) => document.querySelector(f)?.value.endsWith(" 😀ⵣ Salma."), FIELD, 20000)

  assert.deepEqual(pageErrors, [], "no page errors")
  console.log("draft test passed")
} finally {
  await browser.close()
}
