// Comments and suggestions in Debian's Chromium (playwright-core), through
// a real Codraft server with the demo workspace: Karim (observer) comments
// on a sentence of MO0056; Amina sees it live, replies, resolves; Salma
// suggests a rewording in Arabic; Yassine accepts it; the history shows the
// change as Salma's, accepted by Yassine.
// Usage: node comments.mjs http://HOST:PORT ARTIFACT_DIR
import assert from "node:assert/strict"
import { join } from "node:path"
import { launch, signedIn, waiter } from "./chromium.mjs"

const [origin, artifacts] = process.argv.slice(2)
const browser = await launch(artifacts)
const step = (s) => console.log(`step: ${s}`)
const pageErrors = []
const until = waiter(artifacts, "comments-failure")
const FIELD = 'codraft-text[data-path="summary/ar/text"]'

const person = (name, email) => signedIn(browser, origin, name, email, pageErrors)

async function openCard(p) {
  await p.goto(origin)
  await p.locator(".card-link", { hasText: "MO0056" }).click()
  await p.waitForSelector(".card-editor .comments .comment-actions")
}

/** Chooses `words` in the Arabic summary, as a mouse selection would. */
async function choose(p, words) {
  await p.locator(FIELD).evaluate((el, w) => {
    const at = el.value.indexOf(w)
    if (at < 0) throw new Error(`no "${w}" in the field`)
    el.focus()
    el.setSelectionRange(at, at + w.length)
    el.dispatchEvent(new Event("select"))
  }, words)
}

try {
  const karim = await person("Karim", "karim@example.org")
  const amina = await person("Amina", "amina@example.org")
  const salma = await person("Salma", "salma@example.org")
  const yassine = await person("Yassine", "yassine@example.org")

  step("Amina has the card open; Karim, an observer, comments on a passage")
  await openCard(amina)
  await openCard(karim)
  assert.equal(await karim.locator(FIELD).evaluate(el => el.readOnly), true, "an observer cannot change the text")
  await choose(karim, "المجتمع المدني")
  await karim.locator("button.comment-selection").click()
  await karim.locator(".composer textarea").first().fill("من هي الجمعيات المعنية؟")
  await karim.locator(".composer button[type=submit]").click()
  await until(karim, "Karim's thread shown", () => [...document.querySelectorAll(".thread .comment-body")].some(e => e.textContent.includes("الجمعيات المعنية")))

  step("Amina sees it live, with the quote and a count beside the field; replies and resolves")
  await until(amina, "Karim's comment arrives live", () => [...document.querySelectorAll(".thread")].some(t => t.textContent.includes("الجمعيات المعنية") && t.querySelector("blockquote")?.textContent === "المجتمع المدني"))
  await until(amina, "a count beside the field", () => document.querySelector(`${"codraft-text[data-path='summary/ar/text']"}`)?.parentElement?.nextElementSibling?.classList.contains("comment-count"))
  // The printable page can carry the open comments.
  await amina.locator("input.with-comments").check()
  const [popup] = await Promise.all([
    amina.waitForEvent("popup"),
    amina.locator("section:has(input.with-comments) .buttons button").nth(1).click(),
  ])
  await popup.waitForLoadState()
  assert.ok((await popup.content()).includes("الجمعيات المعنية"), "the printable page lists the open comment")
  await popup.close()
  const thread = amina.locator(".thread", { hasText: "الجمعيات المعنية" })
  await thread.locator(".reply textarea").fill("جمعيات الجهات الثلاث، سنضيفها.")
  await thread.locator(".reply button").click()
  await until(amina, "the reply", () => [...document.querySelectorAll(".thread .comment-body")].some(e => e.textContent.includes("الجهات الثلاث")))
  await amina.locator(".thread", { hasText: "الجمعيات المعنية" }).getByRole("button", { name: "تم الحل" }).click()
  await until(amina, "resolved: gone from the open ones", () => ![...document.querySelectorAll(".thread")].some(t => t.textContent.includes("الجمعيات المعنية")))
  await until(karim, "Karim sees the reply in his inbox", async () => true)
  const inbox = await (await karim.request.get(`${origin}/api/inbox`)).json()
  assert.equal(inbox.entries[0]?.kind, "replied", JSON.stringify(inbox))

  step("Salma, in suggestion mode, proposes a rewording in Arabic")
  await openCard(salma)
  await salma.locator("input.suggest-mode").check()
  await choose(salma, "ونشر معطيات تنفيذها")
  await salma.keyboard.type("و")
  await salma.waitForSelector(".composer textarea.replacement")
  const before = await salma.locator(FIELD).evaluate(el => el.value)
  assert.ok(before.includes("ونشر معطيات تنفيذها"), "typing in suggestion mode did not change the text")
  await salma.locator(".composer textarea.replacement").fill("ونشر معطيات تنفيذها بانتظام")
  await salma.locator(".composer button[type=submit]").click()
  await until(salma, "the suggestion inline under the field", () => {
    const s = document.querySelector(".inline-suggestions .suggestion-diff")
    return s && s.querySelector("del")?.textContent === "ونشر معطيات تنفيذها" && s.querySelector("ins")?.textContent === "ونشر معطيات تنفيذها بانتظام"
  })
  await salma.screenshot({ path: join(artifacts, "comments-suggestion.png") })

  step("Yassine accepts it: the text changes, the history says Salma's, accepted by Yassine")
  await openCard(yassine)
  const suggestion = yassine.locator(".thread", { hasText: "بانتظام" })
  await suggestion.getByRole("button", { name: "قبول الاقتراح" }).click()
  await until(yassine, "the text has the rewording", (f) => document.querySelector(f)?.value.includes("تنفيذها بانتظام"), FIELD)
  await until(salma, "Salma's page has it live", (f) => document.querySelector(f)?.value.includes("تنفيذها بانتظام"), FIELD)
  await yassine.reload()
  await yassine.waitForSelector(".card-editor .review .history")
  await until(yassine, "history: Salma's session accepted by Yassine", () => [...document.querySelectorAll(".history .session")].some(li => li.dataset.user === "Salma" && li.querySelector(".accepted-by")?.dataset.by === "Yassine"))
  await until(yassine, "the accepted suggestion listed as such", () => {
    const sel = document.querySelector(".comments select")
    if (sel && sel.value !== "all") { sel.value = "all"; sel.dispatchEvent(new Event("change")) }
    return [...document.querySelectorAll(".thread.accepted")].some(t => t.textContent.includes("بانتظام"))
  })
  await yassine.screenshot({ path: join(artifacts, "comments-accepted.png") })

  step("a card link opened while signed out lands on the card after signing in")
  const cardUrl = yassine.url()
  const fresh = await (await browser.newContext()).newPage()
  await fresh.goto(cardUrl)
  await fresh.locator('input[name="email"]').fill("karim@example.org")
  await fresh.locator('input[name="password"]').fill("codraft-demo")
  await fresh.locator('button[type="submit"]').click()
  await until(fresh, "the card after signing in", () => !!document.querySelector(".card-editor .comments"))
  assert.equal(fresh.url(), cardUrl)

  assert.deepEqual(pageErrors, [], "no page errors")
  console.log("comments test passed")
} finally {
  await browser.close()
}
