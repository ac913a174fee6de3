// Meetings in Debian's Chromium (playwright-core), through a real Codraft
// server with the demo workspace: the committee's page shows the seeded
// 3 February 2026 session; Hajar (the secretariat) schedules a meeting and
// invites; Karim announces his absence; Hajar opens the meeting; Amina
// and Yassine type the minutes of item 2 at the same time, Amina records a
// decision on MO0056 at its current version and an action item for
// Yassine; both approve; the published minutes show Karim excused; Yassine
// sees the action item on his home page.
// Usage: node meetings.mjs http://HOST:PORT ARTIFACT_DIR
import assert from "node:assert/strict"
import { join } from "node:path"
import { launch, signedIn, waiter } from "./chromium.mjs"

const [origin, artifacts] = process.argv.slice(2)
const browser = await launch(artifacts)
const step = (s) => console.log(`step: ${s}`)
const pageErrors = []
const until = waiter(artifacts, "meetings-failure")
const ITEM2 = 'codraft-text[data-path="items/item2"]'

const person = (name, email) => signedIn(browser, origin, name, email, pageErrors)

function tomorrow() {
  return new Date(Date.now() + 86400000).toISOString().slice(0, 10)
}

/** Sets a date control (day, month by name, year) to an ISO date. */
async function setDate(control, iso) {
  const [y, m, d] = iso.split("-")
  await control.locator("select.day").selectOption(String(Number(d)))
  await control.locator("select.month").selectOption(String(Number(m)))
  await control.locator("input.year").fill(y)
  await control.locator("input.year").press("Tab")
}

try {
  const hajar = await person("Hajar", "hajar@example.org")
  const karim = await person("Karim", "karim@example.org")
  const amina = await person("Amina", "amina@example.org")
  const yassine = await person("Yassine", "yassine@example.org")

  step("the committee's page: the seeded 3 February session, published, with its attendance")
  await hajar.goto(origin)
  await hajar.locator("#g-steering_committee").locator("xpath=..").locator("a.meetings-link").click()
  await hajar.waitForSelector(".cadence")
  const feb = hajar.locator(".meeting-link", { hasText: "2026" }).first()
  assert.equal(await feb.locator(".badge").getAttribute("data-status"), "published")
  await feb.click()
  await until(hajar, "the February attendance", () => document.querySelectorAll(".attendee").length === 23 && document.body.textContent.includes("إكرام حيبي"))
  assert.ok(await hajar.locator(".absent-orgs li").count() === 6, "six absent organisations")
  assert.equal(await hajar.locator(".meeting-status").getAttribute("data-status"), "published")
  await hajar.goBack()

  step("Hajar schedules a meeting of the committee and invites its members")
  await hajar.waitForSelector("form.schedule")
  const form = hajar.locator("form.schedule")
  // A meeting without a date: the app's message, in Arabic.
  await form.locator("input.mt-title[lang=fr]").fill("Réunion de suivi des fiches")
  await form.locator("button[type=submit]").click()
  await until(hajar, "the missing date said in Arabic", () => document.querySelector("form.schedule .error")?.textContent.includes("تاريخا"))
  // Dates in the interface's form: Moroccan month names in Arabic.
  const monthNames = await form.locator(".mt-date select.month option").allInnerTexts()
  assert.ok(monthNames.includes("فبراير") && monthNames.includes("غشت"), monthNames.join(","))
  await setDate(form.locator(".mt-date"), tomorrow())
  await form.locator(".item-title").first().fill("Méthodologie")
  await form.locator("button.add-item").click()
  await form.locator(".item-title").nth(1).fill("Fiches à réviser")
  // Item 2 discusses MO0056.
  await form.locator(".item-cards").nth(1).evaluate((sel) => {
    const o = [...sel.options].find(o => o.textContent.includes("MO0056"))
    if (!o) throw new Error("MO0056 not offered")
    o.selected = true
  })
  await form.locator("button[type=submit]").click()
  await hajar.waitForSelector(".meeting-page .attendance")
  const meetingUrl = hajar.url()
  assert.match(meetingUrl, /#\/meeting\//)
  await until(hajar, "the committee's members invited", () => document.querySelectorAll(".attendee").length === 5)
  assert.ok((await hajar.locator('.agenda-item[data-item="item2"] .linked-card').innerText()).includes("MO0056"), "item 2 links MO0056")

  step("Karim announces his absence beforehand")
  await karim.goto(meetingUrl)
  await karim.locator("button.excuse").click()
  await until(karim, "Karim excused, with the time", () => {
    const li = [...document.querySelectorAll(".attendee")].find(l => l.textContent.includes("Karim"))
    return li?.dataset.attendance === "excused" && /\d\d:\d\d/.test(li.textContent)
  })

  step("Hajar opens the meeting; Amina and Yassine type the minutes of item 2 at the same time")
  await hajar.locator("button.start-meeting").click()
  await until(hajar, "in progress", () => document.querySelector(".meeting-status")?.dataset.status === "in_progress")
  await amina.goto(meetingUrl)
  await yassine.goto(meetingUrl)
  await amina.waitForSelector(ITEM2)
  await yassine.waitForSelector(ITEM2)
  await until(amina, "Yassine present in the page", () => [...document.querySelectorAll(".people .peer")].some(li => li.textContent.includes("Yassine")))
  await amina.locator(ITEM2).click()
  await yassine.locator(ITEM2).click()
  await Promise.all([
    amina.keyboard.type("Amina : la fiche MO0056 sera révisée. ", { delay: 15 }),
    yassine.keyboard.type("Yassine : la société civile propose deux activités. ", { delay: 15 }),
  ])
  const both = (f) => { const v = document.querySelector(f)?.value ?? ""; return v.includes("MO0056 sera révisée") && v.includes("deux activités") }
  await until(amina, "both texts in Amina's page", both, ITEM2)
  await until(yassine, "both texts in Yassine's page", both, ITEM2)
  // The two pages converge on one text.
  for (let i = 0; ; i++) {
    const [x, y] = [await amina.locator(ITEM2).evaluate(el => el.value), await yassine.locator(ITEM2).evaluate(el => el.value)]
    if (x === y) break
    if (i > 100) assert.equal(x, y, "the two pages converge")
    await amina.waitForTimeout(100)
  }
  // The server saw them in the live page: present remotely.
  await until(hajar, "Amina and Yassine present remotely", () => ["Amina", "Yassine"].every(n =>
    [...document.querySelectorAll(".attendee")].find(l => l.textContent.includes(n))?.dataset.attendance === "present_remotely"), undefined, 20000)

  step("Amina records a decision on MO0056 at its current version and an action item for Yassine")
  await amina.locator(".decision-text").fill("Réviser la fiche MO0056")
  await amina.locator(".decision-kind").selectOption("revise")
  // a_form_half_filled_survives_the_panel_drawn_again: Hajar moves the
  // agenda's clock, Amina's page draws its records again (it refreshes the
  // meeting every 4 s); what she wrote stays, and so does her focus.
  await amina.locator(".decision-text").focus()
  await hajar.locator('.agenda-item[data-item="item2"] button.discuss').click()
  await until(amina, "the clock on item 2 in Amina's page", () => document.querySelector('.agenda-item[data-item="item2"]')?.classList.contains("current"), undefined, 10000)
  assert.equal(await amina.locator(".decision-text").inputValue(), "Réviser la fiche MO0056", "the decision's words kept")
  assert.equal(await amina.locator(".decision-kind").inputValue(), "revise", "the decision's kind kept")
  assert.ok(await amina.evaluate(() => document.activeElement?.classList.contains("decision-text")), "the focus kept")
  await amina.locator(".decision-item").selectOption("item2")
  await amina.locator(".decision-card-select").evaluate((sel) => {
    sel.value = [...sel.options].find(o => o.textContent.includes("MO0056")).value
  })
  await amina.locator(".decision-form button[type=submit]").click()
  await until(amina, "the decision with the card's version", () => [...document.querySelectorAll(".decision")].some(d => d.textContent.includes("MO0056") && d.querySelector(".decision-card")))
  await amina.locator(".action-text").fill("Envoyer les deux activités proposées")
  await amina.locator(".action-owner").selectOption({ label: "Yassine" })
  await setDate(amina.locator(".action-due"), tomorrow())
  await amina.locator(".action-form button[type=submit]").click()
  await until(amina, "the action item", () => [...document.querySelectorAll(".action")].some(a => a.textContent.includes("deux activités proposées")))

  step("both approve the same version: the minutes are published and locked")
  await until(yassine, "Yassine's page has the decision and the action", () => document.querySelectorAll(".decision").length === 1 && document.querySelectorAll(".action").length === 1, undefined, 20000)
  await amina.locator("button.approve-minutes").click()
  await until(amina, "Amina's approval standing", () => document.querySelectorAll(".minutes-approval .approvals li.standing").length === 1)
  await yassine.locator("button.approve-minutes").click()
  await until(yassine, "published", () => document.querySelector(".meeting-status")?.dataset.status === "published")
  await until(yassine, "the minutes read-only", (f) => document.querySelector(f)?.readOnly === true, ITEM2)
  await until(amina, "published for Amina too", () => document.querySelector(".meeting-status")?.dataset.status === "published", undefined, 20000)
  await yassine.screenshot({ path: join(artifacts, "meeting-published.png") })

  step("the published minutes show Karim excused, in French and as a printable Arabic page")
  const id = decodeURIComponent(meetingUrl.split("#/meeting/")[1])
  const md = await (await karim.request.get(`${origin}/api/meetings/${encodeURIComponent(id)}/minutes?lang=fr&version=1`)).text()
  const excused = md.split("## Excusés")[1]?.split("##")[0] ?? ""
  assert.ok(excused.includes("Karim"), md)
  assert.ok(md.includes("Réviser la fiche MO0056 (révision)"), md)
  assert.ok(md.includes("MO0056 sera révisée") && md.includes("deux activités"), md)
  await karim.reload()
  await karim.waitForSelector(".export-print")
  await karim.locator(".export-lang").selectOption("ar")
  const [popup] = await Promise.all([karim.waitForEvent("popup"), karim.locator(".export-print").click()])
  await popup.waitForLoadState()
  const page = await popup.content()
  assert.ok(page.includes('dir="rtl"') && page.includes("المعتذرون مسبقا"), page.slice(0, 400))
  await popup.close()

  step("Yassine sees the action item on his home page")
  await yassine.goto(origin)
  await until(yassine, "the action item at home", () => [...document.querySelectorAll(".my-actions .my-action")].some(a => a.textContent.includes("deux activités proposées")))

  assert.deepEqual(pageErrors, [], "no page errors")
  console.log("meetings test passed")
} finally {
  await browser.close()
}
