// The app opens offline, in Debian's Chromium: Amina opens MO0056 online
// (the service worker keeps the app shell, the browser keeps the card),
// types, the network goes, she reloads: the card is there with her words
// and the status says offline; the network comes back: saved. Then a
// change the server refuses (over its size limit) is said and dropped.
// Usage: node offline.mjs http://HOST:PORT ARTIFACT_DIR
import assert from "node:assert/strict"
import { join } from "node:path"
import { launch, signedIn, waiter } from "./chromium.mjs"

const [origin, artifacts] = process.argv.slice(2)
const browser = await launch(artifacts)
const step = (s) => console.log(`step: ${s}`)
const pageErrors = []
const until = waiter(artifacts, "offline-failure")
const FIELD = 'codraft-text[data-path="summary/fr/text"]'

try {
  step("online: the card opens, the service worker keeps the shell")
  const a = await signedIn(browser, origin, "Amina", "amina@example.org", pageErrors)
  await a.goto(origin)
  await a.locator(".card-link", { hasText: "MO0056" }).click()
  await a.waitForSelector(FIELD)
  const cardUrl = a.url()
  await until(a, "the shell kept, the WASM with it", async () => {
    const c = await caches.open("codraft-shell-v1")
    const keys = (await c.keys()).map(r => new URL(r.url).pathname)
    return keys.includes("/") && keys.some(k => k.endsWith(".wasm")) && keys.some(k => k.endsWith(".js"))
  }, undefined, 20000)
  await a.locator(FIELD).click()
  await a.keyboard.press("Control+End")
  await a.keyboard.type(" Hors ligne.")
  await until(a, "saved", () => document.getElementById("status")?.dataset.state === "saved", undefined, 30000)

  step("offline: a reload opens the app and the card with its words")
  await a.context().setOffline(true)
  await a.goto(cardUrl)
  await until(a, "the card, offline", (f) => document.querySelector(f)?.value.endsWith(" Hors ligne."), FIELD, 20000)
  await until(a, "the status says offline", () => ["offline", "connecting"].includes(document.getElementById("status")?.dataset.state))
  await a.locator(FIELD).click()
  await a.keyboard.press("Control+End")
  await a.keyboard.type(" Encore.")
  await a.screenshot({ path: join(artifacts, "offline-card.png") })

  step("back online: the offline words are saved")
  await a.context().setOffline(false)
  await until(a, "saved again", () => document.getElementById("status")?.dataset.state === "saved", undefined, 20000)
  const res = await a.request.get(`${origin}/api/documents/${encodeURIComponent(decodeURIComponent(cardUrl.split("#/card/")[1]))}/export?format=md&lang=fr`)
  assert.ok((await res.text()).includes("Hors ligne. Encore."), "the server has what was typed offline")
  step("a change the server refuses is said in Arabic and dropped, also after a reload")
  await a.evaluate((f) => {
    let x = 7
    const big = Array.from({ length: 120000 }, () => { x = (x * 1103515245 + 12345) % 2147483648; return String.fromCharCode(97 + (x >> 16) % 26) }).join("")
    const el = document.querySelector(f)
    el.value = el.value + big
    el.dispatchEvent(new Event("input"))
  }, FIELD)
  await until(a, "the refusal said", () => document.querySelector(".card-editor .refused")?.textContent.includes("كبير جدا"), undefined, 20000)
  await until(a, "the refused text gone", (f) => document.querySelector(f)?.value.endsWith("Hors ligne. Encore."), FIELD)
  await a.reload()
  await a.waitForSelector(FIELD)
  assert.ok((await a.locator(FIELD).evaluate(el => el.value)).endsWith("Hors ligne. Encore."), "not kept after a reload")
  await a.screenshot({ path: join(artifacts, "refused-change.png") })

  assert.deepEqual(pageErrors, [], "no page errors, offline included")
  console.log("offline test passed")
} finally {
  await browser.close()
}
