// The revision in public in Debian's Chromium (playwright-core): an
// anonymous visitor proposes in Arabic (markup in it stays text) and keeps
// the tracking code; the secretariat assigns the proposal to its group and
// MO0056; the group's co-coordinator answers with reasons in Arabic and
// French; the visitor's tracking page shows the response; the public page
// shows the six phases and the synthesis.
// Usage: node process.mjs http://HOST:PORT ARTIFACT_DIR
import assert from "node:assert/strict"
import { join } from "node:path"
import { launch, signedIn, waiter } from "./chromium.mjs"

const [origin, artifacts] = process.argv.slice(2)
const browser = await launch(artifacts)
const step = (s) => console.log(`step: ${s}`)
const pageErrors = []
const until = waiter(artifacts, "process-failure")

try {
  step("an anonymous visitor finds the public form from the sign-in page and proposes in Arabic")
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const visitor = await ctx.newPage()
  visitor.on("pageerror", (e) => pageErrors.push(`visitor: ${e.message}`))
  await visitor.goto(origin)
  await visitor.locator(".public-links a[href='#/propose']").click()
  await visitor.waitForSelector("form.propose")
  const text = "نشر معطيات الصفقات العمومية بصيغة مفتوحة <img src=x onerror=\"window.pwned=1\">"
  await visitor.locator("textarea.pr-text").fill(text)
  await visitor.locator("input.pr-region").fill("الرباط سلا القنيطرة")
  await visitor.locator("button[type=submit]").click()
  await visitor.waitForSelector(".new-code")
  const code = (await visitor.locator(".new-code").innerText()).trim()
  assert.match(code, /^[2-9A-Z]{5}-[2-9A-Z]{5}$/)
  await visitor.locator(".done a").click()
  await until(visitor, "the tracking page, pending", () => document.querySelector(".proposal .badge.pending"))
  assert.equal(await visitor.locator(".proposal-text").innerText(), text, "the markup shows as text")
  assert.equal(await visitor.locator(".proposal img").count(), 0)
  assert.equal(await visitor.evaluate(() => window.pwned), undefined, "nothing the visitor typed ran")

  step("the secretariat assigns it to the climate and environment group and MO0056")
  const hajar = await signedIn(browser, origin, "Hajar", "hajar@example.org", pageErrors)
  await hajar.goto(`${origin}/#/proposals`)
  const item = hajar.locator(`.proposal[data-code="${code}"]`)
  await item.waitFor()
  await item.locator("select.assign-group").selectOption("climate_environment")
  await item.locator("select.assign-card").evaluate((sel) => {
    sel.value = [...sel.options].find(o => o.textContent.includes("MO0056"))?.value ?? ""
    if (!sel.value) throw new Error("MO0056 not offered")
  })
  await item.locator("button.assign").click()
  await until(hajar, "assigned", (c) => document.querySelector(`.proposal[data-code="${c}"] select.assign-card`)?.selectedOptions[0]?.textContent.includes("MO0056"), code)

  step("the group's co-coordinator answers with reasons in Arabic and French")
  const amina = await signedIn(browser, origin, "Amina", "amina@example.org", pageErrors)
  await amina.goto(origin)
  await amina.locator("a.proposals-link").click()
  const mine = amina.locator(`.proposal[data-code="${code}"]`)
  await mine.waitFor()
  await mine.locator("select.decision").selectOption("activity_of_card")
  await mine.locator("textarea.reason-ar").fill("أدمج المقترح في البطاقة MO0056 كنشاط")
  // Only Arabic: the app says, in Arabic, that French is needed too.
  await mine.locator("form.respond button[type=submit]").click()
  await until(amina, "reasons needed, worded", () => document.querySelector(".proposal .error")?.textContent.includes("بالعربية والفرنسية"))
  await mine.locator("textarea.reason-fr").fill("La proposition devient une activité de la fiche MO0056")
  await mine.locator("form.respond button[type=submit]").click()
  await until(amina, "the response recorded", (c) => document.querySelector(`.proposal[data-code="${c}"] .response`)?.textContent.includes("MO0056"), code)

  step("the visitor's tracking page shows the reasoned response")
  await visitor.reload()
  await until(visitor, "the response in public", () => document.querySelector(".response .decision")?.dataset.decision === "activity_of_card")
  assert.ok((await visitor.locator(".response .reason-ar").innerText()).includes("كنشاط"))
  assert.ok((await visitor.locator(".response .reason-fr").innerText()).includes("activité"))
  await visitor.screenshot({ path: join(artifacts, "proposal-answered.png") })

  step("the public page: six phases, the proposal and the synthesis")
  await visitor.locator(".public-nav a[href='#/public']").click()
  await until(visitor, "the public page", () => document.querySelectorAll(".timeline li").length === 6 && document.querySelector(`.proposal[data-code]`))
  assert.ok((await visitor.locator(".synthesis").innerText()).includes("1"))
  // The approved minutes of 3 February 2026, public, as a printable page in Arabic.
  await until(visitor, "the February minutes listed", () => [...document.querySelectorAll(".public-meeting")].some(li => li.textContent.includes("2026")))
  const [popup] = await Promise.all([visitor.waitForEvent("popup"), visitor.locator(".public-meeting a.minutes-page").first().click()])
  await popup.waitForLoadState()
  const page = await popup.content()
  assert.ok(page.includes('dir="rtl"') && page.includes("إكرام حيبي"), page.slice(0, 300))
  await popup.close()

  assert.deepEqual(pageErrors, [], "no page errors")
  console.log("process test passed")
} finally {
  await browser.close()
}
