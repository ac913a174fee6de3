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

  step("the secretariat opens a scoring round; three members of different sectors score it blind; the round closes")
  await hajar.goto(`${origin}/#/scoring`)
  await hajar.locator("input.round-name").fill("ماي 2026")
  await hajar.locator("form.open-round button").click()
  await hajar.waitForSelector("section.round")
  const amina = await signedIn(browser, origin, "Amina", "amina@example.org", pageErrors)
  const yassine = await signedIn(browser, origin, "Yassine", "yassine@example.org", pageErrors)
  const salma = await signedIn(browser, origin, "Salma", "salma@example.org", pageErrors)
  for (const [p, v] of [[amina, "4"], [yassine, "1"], [salma, "2"]]) {
    await p.goto(origin)
    await p.locator("a.scoring-link").click()
    const card = p.locator(`section.round .proposal[data-code="${code}"]`)
    await card.waitFor()
    for (const g of await card.locator("input.gate").all()) await g.check()
    for (const c of await card.locator("select.criterion").all()) await c.selectOption(v)
    await card.locator("form.score button[type=submit]").click()
    await until(p, "my score saved", (c) => document.querySelector(`section.round .proposal[data-code="${c}"] .badge.ok`), code)
  }
  // Blind: Yassine's page holds his scores only.
  const round = await (await yassine.request.get(`${origin}/api/rounds`)).json()
  assert.deepEqual(Object.keys(round[0].mine), [code])
  assert.ok(!JSON.stringify(round).includes('"scores":[4,4'), "Amina's score is not in Yassine's answer")
  await hajar.reload()
  await hajar.locator("button.close-round").click()
  await until(hajar, "the results, the sectors' disagreement flagged", (c) => document.querySelector(`table.results tr[data-code="${c}"]`)?.classList.contains("disagreement"), code)

  step("the group's co-coordinator answers with reasons in Arabic and French")
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

  step("a card published through the workflow: the public page shows version 1 and its fingerprint")
  const cardUrl = (await (await amina.request.get(`${origin}/api/groups`)).json()).flatMap(g => g.documents).map(d => d.id)[0]
  const rev = (what, body, who = amina) => who.request.post(`${origin}/api/documents/${encodeURIComponent(cardUrl)}/${what}`, { data: body })
  assert.equal((await rev("transition", { to: "group_review" })).status(), 200)
  const heads = (await (await amina.request.get(`${origin}/api/documents/${encodeURIComponent(cardUrl)}/review`)).json()).heads
  assert.equal((await rev("approve", { heads })).status(), 200)
  assert.equal((await rev("approve", { heads }, yassine)).status(), 200)
  assert.equal((await rev("transition", { to: "adopted" }, hajar)).status(), 200)
  assert.equal((await rev("transition", { to: "published" }, hajar)).status(), 200)
  await visitor.reload()
  await until(visitor, "version 1 and its fingerprint", () => /SHA-256 [0-9a-f]{64}/.test(document.querySelector(".public-version[data-version='1'] .fingerprint")?.textContent ?? ""))

  step("the public consultation on the draft: the secretariat opens it; the visitor comments on the published card")
  await hajar.goto(`${origin}/#/proposals`)
  await until(hajar, "the timeline editor", () => document.querySelectorAll(".timeline-edit li").length === 6)
  const until2099 = hajar.locator(".consultation-until")
  await until2099.locator("select.day").selectOption("31")
  await until2099.locator("select.month").selectOption("12")
  await until2099.locator("input.year").fill("2099")
  await until2099.locator("input.year").press("Tab")
  await hajar.locator("button.open-consultation").click()
  await visitor.reload()
  await visitor.locator("a.comment-draft").first().click()
  await visitor.waitForSelector("form.propose .about-draft")
  await visitor.locator("textarea.pr-text").fill("يستحسن إضافة مؤشر حول عدد الجمعيات المشاركة")
  await visitor.locator("button[type=submit]").click()
  await visitor.waitForSelector(".new-code")

  step("MO0056's editor lists the proposal assigned to it")
  await amina.goto(origin)
  await amina.locator(".card-link", { hasText: "MO0056" }).click()
  await until(amina, "the card's proposals", (c) => document.querySelector(`.card-proposals li[data-code="${c}"]`)?.textContent.includes("MO0056") || !!document.querySelector(`.card-proposals li[data-code="${c}"]`), code)

  assert.deepEqual(pageErrors, [], "no page errors")
  console.log("process test passed")
} finally {
  await browser.close()
}
