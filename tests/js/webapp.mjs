// End-to-end test of the web app in Debian's Chromium (playwright-core):
// two people co-draft the demo card MO0056 through a real Codraft server
// that serves the built app (web/dist) with the demo workspace.
// Usage: node webapp.mjs http://HOST:PORT ARTIFACT_DIR
import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { launch, waiter } from "./chromium.mjs"

const [origin, artifacts] = process.argv.slice(2)
const browser = await launch(artifacts)
const step = (s) => console.log(`step: ${s}`)
const until = waiter(artifacts)
const value = (p, path) => p.locator(`codraft-text[data-path="${path}"]`).evaluate(el => el.value)
/** The title of the activity shown at place `k` (0-based) of the table. */
const shownTitle = (p, k) => p.evaluate((k) => document.querySelectorAll("table.rows-activities tbody tr")[k]?.querySelector("codraft-text[data-path$='/title/ar/text']")?.value, k)
const field = (p, path) => p.locator(`codraft-text[data-path="${path}"]`)

const PASSWORD = "codraft-demo"
// Uncaught errors in any page (a trap in the WASM client shows up here).
const pageErrors = []
async function person(name, colour, sector, email) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
  await ctx.addInitScript(([me]) => {
    if (!localStorage.getItem("codraft.me")) localStorage.setItem("codraft.me", me)
    // The client's sockets, for a step that acts the moment a frame lands.
    const Socket = window.WebSocket
    window.sockets = []
    window.WebSocket = class extends Socket {
      constructor(...args) { super(...args); window.sockets.push(this) }
    }
  }, [JSON.stringify({ name, colour, sector })])
  if (email) {
    const res = await ctx.request.post(`${origin}/api/session`, { data: { email, password: PASSWORD } })
    assert.equal(res.status(), 200, `sign-in of ${email}: ${await res.text()}`)
  }
  const page = await ctx.newPage()
  page.on("pageerror", e => { console.error(`${name}: page error: ${e.message}`); pageErrors.push(`${name}: ${e.message}`) })
  page.on("console", m => {
    if (m.type() === "error") console.error(`${name}: console: ${m.text()}`)
    // Anything the Content-Security-Policy blocked is a broken page.
    if (/Content Security Policy/i.test(m.text())) pageErrors.push(`${name}: CSP: ${m.text()}`)
  })
  return { ctx, page }
}

try {
  step("signing in through the page")
  const { ctx: ctxA, page: a } = await person("Amina", "#b3261e", "administration")
  await a.goto(origin)
  // Empty fields: the app's own message in Arabic, not the browser's bubble.
  await a.getByRole("button", { name: "تسجيل الدخول" }).click()
  await a.waitForSelector(".error:has-text('البريد الإلكتروني أو كلمة المرور غير صحيحة')")
  assert.equal(await a.locator("form").evaluate((f) => f.noValidate), true)
  await a.locator("input[name=email]").fill("amina@example.org")
  await a.locator("input[name=password]").fill("wrong password")
  await a.getByRole("button", { name: "تسجيل الدخول" }).click()
  // The server's refusal, worded in the interface language (Arabic).
  await a.waitForSelector(".error:has-text('البريد الإلكتروني أو كلمة المرور غير صحيحة')")
  await a.locator("input[name=password]").fill(PASSWORD)
  await a.getByRole("button", { name: "تسجيل الدخول" }).click()
  const { ctx: ctxB, page: b } = await person("Yassine", "#0b57d0", "civil_society", "yassine@example.org")

  step("home: the steering committee and the six thematic groups in Arabic, right to left, with the demo cards")
  await a.waitForSelector(".group h2")
  assert.equal(await a.evaluate(() => document.documentElement.dir), "rtl")
  assert.equal(await a.evaluate(() => document.documentElement.lang), "ar-MA")
  const groups = await a.locator(".group h2").allInnerTexts()
  assert.deepEqual(groups, ["لجنة القيادة", "الإعاقة والإدماج", "الحكامة الرقمية والتقنيات الناشئة", "المناخ والبيئة", "الفضاء المدني والإطار التشريعي", "العدالة المنفتحة", "الشفافية والنزاهة"])
  const links = await a.locator(".card-link").allInnerTexts()
  assert.ok(links.some(l => l.includes("MO0056") && l.includes("الاستراتيجية الوطنية للتنمية المستدامة")), links.join(" | "))
  assert.ok(links.some(l => l.includes("MO0059") && l.includes("الناطقين بالأمازيغية")), links.join(" | "))
  // Each card says its stage and who edited it last; search and filters narrow the list.
  await until(a, "stages on the home page", () => document.querySelectorAll("li.card-item[data-stage]").length >= 4)
  await a.locator("input.card-search").fill("mo0059")
  await until(a, "only MO0059 shown", () => [...document.querySelectorAll("li.card-item")].filter(li => !li.hidden).map(li => li.textContent).join("|").includes("MO0059")
    && [...document.querySelectorAll("li.card-item")].filter(li => !li.hidden).length === 1)
  await a.locator("input.card-search").fill("")
  await a.locator("select.stage-filter").selectOption("published")
  await until(a, "no published card: said so", () => !document.querySelector(".no-match").hidden)
  await a.locator("select.stage-filter").selectOption("")

  step("both open MO0056")
  await a.locator(".card-link", { hasText: "MO0056" }).click()
  await a.waitForSelector(".card-editor")
  const cardUrl = a.url()
  await b.goto(cardUrl)
  await b.waitForSelector(".card-editor")
  assert.match(await a.locator("h1.card-title").innerText(), /^MO0056 — إعداد/)
  await until(a, "A shows saved", () => document.getElementById("status")?.dataset.state === "saved")

  step("Arabic typed in A appears in B")
  const summary = "summary/ar/text"
  // How many remote edits went into B's fields where they land (a splice)
  // rather than as the whole value read again.
  await b.evaluate(() => { window.splices = 0; addEventListener("codraft:applied", e => { window.splices += e.detail.splices }) })
  await field(a, summary).click()
  await a.keyboard.press("Control+End")
  await field(a, summary).pressSequentially(" ويشمل ذلك الجهات الاثنتي عشرة.", { delay: 10 })
  const wantA = await value(a, summary)
  assert.ok(wantA.endsWith("الجهات الاثنتي عشرة."), wantA)
  await until(b, "B sees A's Arabic", ([p, v]) => document.querySelector(`codraft-text[data-path="${p}"]`)?.value === v, [summary, wantA])
  assert.ok(await b.evaluate(() => window.splices) > 0, "A's keystrokes reached B's field as splices")

  step("each sees the other's presence with the field name")
  await field(b, "problem/fr/text").click()
  await until(b, "B sees Amina, her role and field", () => [...document.querySelectorAll(".people li")].some(li => li.textContent.includes("Amina") && li.textContent.includes("منسق(ة) مشارك(ة)") && li.textContent.includes("وصف موجز — العربية")))
  await until(a, "A sees Yassine in the problem field", () => [...document.querySelectorAll(".people li")].some(li => li.textContent.includes("Yassine") && li.textContent.includes("الإشكالية (التحدي) — الفرنسية")))
  await until(b, "B draws Amina's caret in the summary field", ([p]) =>
    document.querySelector(`codraft-text[data-path="${p}"]`)?.parentElement?.querySelector(".caret-name")?.textContent === "Amina", [summary])

  step("both type into the same field at once and converge")
  const same = "problem/fr/text"
  await field(a, same).click()
  await a.keyboard.press("Control+Home")
  await field(b, same).click()
  await b.keyboard.press("Control+End")
  await Promise.all([
    field(a, same).pressSequentially("[A] ", { delay: 15 }),
    field(b, same).pressSequentially(" [B]", { delay: 15 }),
  ])
  await until(a, "A has both edits", ([p]) => { const v = document.querySelector(`codraft-text[data-path="${p}"]`).value; return v.includes("[A] ") && v.includes(" [B]") }, [same])
  await until(b, "B has both edits", ([p]) => { const v = document.querySelector(`codraft-text[data-path="${p}"]`).value; return v.includes("[A] ") && v.includes(" [B]") }, [same])
  await until(a, "A and B agree", ([p, v]) => document.querySelector(`codraft-text[data-path="${p}"]`).value === v, [same, await value(b, same)])
  const both = await value(a, same)
  assert.ok(both.startsWith("[A] Faible association") && both.endsWith(" [B]"), both)
  // Each one's caret stayed after their own words while the other's came in.
  assert.deepEqual(await a.evaluate(p => { const t = document.querySelector(`codraft-text[data-path="${p}"]`); return [t.selectionStart, t.selectionEnd] }, same), [4, 4])
  assert.deepEqual(await b.evaluate(p => { const t = document.querySelector(`codraft-text[data-path="${p}"]`); return [t.selectionStart, t.selectionEnd] }, same), [both.length, both.length])
  step("an edit shown and not yet handed to the client is counted before a remote one")
  // A's field shows " {A}" from the moment B's edit lands at A's socket,
  // and hands it to the client after the next paint (fields.ts handOver),
  // while the client takes B's edit in at that frame's start: the client
  // must take A's edit first (its setBeforeRemote hook), or A's is lost.
  const marker = "{B-ⴱⴻⵏ} "
  const landed = a.evaluate(([p, marker]) => new Promise(resolve => {
    const want = new TextEncoder().encode(marker)
    const has = (b) => { outer: for (let i = 0; i + want.length <= b.length; i++) { for (let j = 0; j < want.length; j++) if (b[i + j] !== want[j]) continue outer; return true } return false }
    const ws = window.sockets.at(-1)
    const t = document.querySelector(`codraft-text[data-path="${p}"]`)
    t.focus()
    const n = t.value.length
    t.setSelectionRange(n, n)
    const onFrame = (e) => {
      if (!(e.data instanceof ArrayBuffer) || !has(new Uint8Array(e.data))) return
      ws.removeEventListener("message", onFrame)
      // The client has queued B's frame for the next animation frame.
      t.setRangeText(" {A}", n, n, "end")
      t.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: " {A}" }))
      resolve(true)
    }
    ws.addEventListener("message", onFrame)
  }), [same, marker])
  await field(b, same).click()
  await b.keyboard.press("Control+Home")
  await b.keyboard.insertText(marker)
  assert.equal(await landed, true)
  await until(a, "A has both", ([p, m]) => { const v = document.querySelector(`codraft-text[data-path="${p}"]`).value; return v.startsWith(m) && v.endsWith(" {A}") }, [same, marker])
  await until(b, "B has both", ([p, m]) => { const v = document.querySelector(`codraft-text[data-path="${p}"]`).value; return v.startsWith(m) && v.endsWith(" {A}") }, [same, marker])
  await until(a, "A and B agree after", ([p, v]) => document.querySelector(`codraft-text[data-path="${p}"]`).value === v, [same, await value(b, same)])

  await a.screenshot({ path: join(artifacts, "two-editors-a.png"), fullPage: false })
  await b.screenshot({ path: join(artifacts, "two-editors-b.png"), fullPage: false })

  step("Ctrl+Z undoes A's own words, not B's typed meanwhile; Ctrl+Shift+Z redoes them")
  const undoField = "causes/ar/text"
  await field(a, undoField).click()
  await a.keyboard.press("Control+End")
  const beforeUndo = await value(a, undoField)
  await field(a, undoField).pressSequentially(" كلمات أمينة", { delay: 10 })
  await field(b, undoField).click()
  await b.keyboard.press("Control+Home")
  await field(b, undoField).pressSequentially("ياسين: ", { delay: 10 })
  await until(a, "A has B's words", ([p]) => document.querySelector(`codraft-text[data-path="${p}"]`).value.startsWith("ياسين: "), [undoField])
  await until(b, "B has A's words", ([p]) => document.querySelector(`codraft-text[data-path="${p}"]`).value.endsWith(" كلمات أمينة"), [undoField])
  await field(a, undoField).focus()
  await a.keyboard.press("Control+z")
  const afterUndo = "ياسين: " + beforeUndo
  await until(a, "A's words are gone, B's stay", ([p, v]) => document.querySelector(`codraft-text[data-path="${p}"]`).value === v, [undoField, afterUndo])
  await until(b, "B sees the undo and keeps its words", ([p, v]) => document.querySelector(`codraft-text[data-path="${p}"]`).value === v, [undoField, afterUndo])
  assert.ok(await a.locator(".undo-bar button.redo").isEnabled(), "redo offered")
  await a.keyboard.press("Control+Shift+z")
  await until(b, "B sees A's words again", ([p, v]) => document.querySelector(`codraft-text[data-path="${p}"]`).value === v, [undoField, afterUndo + " كلمات أمينة"])
  // B's own undo button takes back B's words only.
  await b.locator(".undo-bar button.undo").click()
  await until(a, "A sees B's words gone, its own kept", ([p, v]) => document.querySelector(`codraft-text[data-path="${p}"]`).value === v, [undoField, beforeUndo + " كلمات أمينة"])
  assert.equal(await a.locator(".undo-bar button.undo").innerText(), "تراجع")
  // Ctrl+Z in a form of its own (the review's reason) is that form's: the card keeps its words.
  const reason = a.locator("aside.side textarea").first()
  await reason.click()
  await reason.pressSequentially("x")
  const keptWords = await value(a, undoField)
  await a.keyboard.press("Control+z")
  await a.waitForTimeout(300)
  assert.equal(await value(a, undoField), keptWords, "Ctrl+Z in the reason box leaves the card alone")
  await reason.fill("")

  step("activities: add, reorder and remove rows, seen by the other")
  const rows = (p) => p.locator("table.rows-activities tbody tr").count()
  assert.equal(await rows(a), 4)
  await a.locator(".table-wrap[data-path=activities] button.add").click()
  // Tables that fit: at 1280 px no sideways scrolling, the row's buttons in view.
  await until(a, "the activities fit their box, buttons in view", () => {
    const wrap = document.querySelector(".table-wrap[data-path=activities]")
    const box = wrap.getBoundingClientRect()
    const buttons = [...wrap.querySelectorAll("td.row-actions button")]
    return wrap.scrollWidth <= wrap.clientWidth + 1 && buttons.length > 0
      && buttons.every(b => { const r = b.getBoundingClientRect(); return r.left >= box.left - 1 && r.right <= box.right + 1 })
  })
  await until(b, "B sees a fifth activity", () => document.querySelectorAll("table.rows-activities tbody tr").length === 5)
  await field(a, "activities/4/title/ar/text").pressSequentially("ورشة ثنائية مع المجتمع المدني", { delay: 5 })
  await until(b, "B sees the new activity's title", () => document.querySelector('codraft-text[data-path="activities/4/title/ar/text"]')?.value === "ورشة ثنائية مع المجتمع المدني")
  await a.getByRole("button", { name: /^إلى الأعلى — النشاط 5$/ }).click()
  await until(b, "B sees it moved to row 4", () => document.querySelectorAll("table.rows-activities tbody tr")[3]?.querySelector("codraft-text[data-path$='/title/ar/text']")?.value === "ورشة ثنائية مع المجتمع المدني")
  // Moved by its order key: the row is the same object, at its list index.
  assert.equal(await value(b, "activities/4/title/ar/text"), "ورشة ثنائية مع المجتمع المدني", "a move rewrites no row")
  // Removing a row asks first: dismissed, the row stays; accepted, it goes.
  b.once("dialog", d => d.dismiss())
  await b.getByRole("button", { name: /^حذف — النشاط 4$/ }).click()
  await new Promise(r => setTimeout(r, 300))
  assert.equal(await rows(b), 5, "a dismissed confirmation removes nothing")
  b.once("dialog", d => d.accept())
  await b.getByRole("button", { name: /^حذف — النشاط 4$/ }).click()
  await until(a, "A sees it removed", () => document.querySelectorAll("table.rows-activities tbody tr").length === 4 && ![...document.querySelectorAll("table.rows-activities codraft-text")].some(t => t.value === "ورشة ثنائية مع المجتمع المدني"))
  // The keyboard goes on from the row that took its place.
  assert.equal(await b.evaluate(() => document.activeElement?.dataset?.path), "activities/3/title/ar/text", "focus on the next row after a removal")

  step("completeness follows the validator")
  await until(a, "MO0056 shows complete", () => document.querySelector(".issues .badge")?.classList.contains("ok"))
  await a.locator('.values input[data-path="values/inclusion/on"]').check()
  await until(b, "B sees the unjustified value", () => [...document.querySelectorAll(".issue-list li")].some(li => li.textContent.includes("«الإدماج» بدون تعليل")))
  await field(b, "values/inclusion/why").pressSequentially("إشراك الجمعيات العاملة في مجال الإعاقة.", { delay: 5 })
  await until(a, "complete again", () => document.querySelector(".issues .badge")?.classList.contains("ok"))

  step("Latin to Tifinagh transliteration in an Amazigh field")
  await a.locator(".lang-zgh").first().locator(".translit input[type=checkbox]").check()
  const zgh = "title/zgh/text"
  await field(a, zgh).click()
  await a.keyboard.press("Control+End")
  await field(a, zgh).pressSequentially(" azul ghrk", { delay: 10 })
  assert.ok((await value(a, zgh)).endsWith(" ⴰⵣⵓⵍ ⵖⵔⴽ"), await value(a, zgh))
  await until(b, "B sees the Tifinagh", ([p]) => document.querySelector(`codraft-text[data-path="${p}"]`).value.endsWith(" ⴰⵣⵓⵍ ⵖⵔⴽ"), [zgh])

  step("B goes offline, both edit, B comes back: nothing lost")
  await ctxB.setOffline(true)
  await until(b, "B shows offline", () => document.getElementById("status")?.dataset.state === "offline")
  await field(b, "results/fr/text").click()
  await b.keyboard.press("Control+End")
  await field(b, "results/fr/text").pressSequentially(" (écrit hors ligne)", { delay: 5 })
  await field(a, "causes/fr/text").click()
  await a.keyboard.press("Control+End")
  await field(a, "causes/fr/text").pressSequentially(" Ajout en ligne.", { delay: 5 })
  await b.waitForTimeout(500)
  assert.ok(!(await value(b, "causes/fr/text")).endsWith(" Ajout en ligne."), "B is really offline")
  await ctxB.setOffline(false)
  await until(a, "A gets B's offline edit", () => document.querySelector('codraft-text[data-path="results/fr/text"]').value.endsWith(" (écrit hors ligne)"), null, 30000)
  await until(b, "B gets A's edit", () => document.querySelector('codraft-text[data-path="causes/fr/text"]').value.endsWith(" Ajout en ligne."), null, 30000)
  await until(b, "B shows saved", () => document.getElementById("status")?.dataset.state === "saved", null, 30000)

  step("A moves the row B is writing in (B offline): B's words survive the move")
  const act2 = "activities/1/title/ar/text"
  const before2 = await value(a, act2)
  await field(b, act2).click()
  await b.keyboard.press("Control+End")
  await field(b, act2).pressSequentially(" [B1]", { delay: 10 })
  await until(a, "A draws B's caret in activity 2", ([p]) =>
    document.querySelector(`codraft-text[data-path="${p}"]`)?.parentElement?.querySelector(".caret-name")?.textContent === "Yassine", [act2])
  await until(a, "A has B's first words", ([p]) => document.querySelector(`codraft-text[data-path="${p}"]`).value.endsWith(" [B1]"), [act2])
  await ctxB.setOffline(true)
  await until(b, "B shows offline", () => document.getElementById("status")?.dataset.state === "offline")
  await field(b, act2).pressSequentially(" [B2]", { delay: 10 })
  await a.getByRole("button", { name: /^إلى الأعلى — النشاط 2$/ }).click()
  assert.ok((await shownTitle(a, 0)).endsWith(" [B1]"), "A moved B's row to the top")
  await ctxB.setOffline(false)
  const moved = `${before2} [B1] [B2]`
  for (const [p, who] of [[a, "A"], [b, "B"]]) {
    await until(p, `${who}: activity 1 has both of B's additions`, ([v]) =>
      document.querySelectorAll("table.rows-activities tbody tr")[0]?.querySelector("codraft-text[data-path$='/title/ar/text']")?.value === v, [moved], 30000)
  }
  assert.equal(await a.locator("table.rows-activities tbody tr").count(), 4, "no row duplicated or lost")
  // B's caret followed the row to the top: B's next keys go there, not into
  // the row that took its old place.
  await until(b, "B's focus moved with the row", () => document.activeElement === document.querySelectorAll("table.rows-activities tbody tr")[0]?.querySelector("codraft-text[data-path$='/title/ar/text']"))
  const other = await shownTitle(b, 1)
  await b.keyboard.type(" [B3]", { delay: 10 })
  await until(a, "A sees B's next words", () =>
    [...document.querySelectorAll("table.rows-activities codraft-text")].some(t => t.value.includes("[B3]")))
  assert.equal(await shownTitle(a, 0), `${moved} [B3]`, "in the moved row, after B's words")
  assert.equal(await shownTitle(a, 1), other, "the other row untouched")

  step("export: Markdown download and printable page")
  const download = a.waitForEvent("download")
  await a.locator("#sec-export").locator("..").getByRole("button", { name: "Markdown" }).click()
  const md = await readFile(await (await download).path(), "utf8")
  assert.ok(md.startsWith("# \u2068MO0056\u2069 — إعداد الاستراتيجية الوطنية"), md.slice(0, 80))
  assert.ok(md.includes("ويشمل ذلك الجهات الاثنتي عشرة."))
  // The day and the version it shows, under the title; the budget in dirhams.
  assert.match(md, /\n_صُدّر في \d{1,2} [^ ]+ 20\d\d · النسخة [0-9a-f]{8}(\+[0-9a-f]{8})*_\n/, md.slice(0, 300))
  assert.ok(md.includes("2.500.000\u00A0درهم"), "budget in dirhams")
  const popup = a.waitForEvent("popup")
  await a.locator("#sec-export").locator("..").getByRole("button", { name: /PDF/ }).click()
  const printable = await popup
  await printable.waitForLoadState()
  assert.equal(await printable.evaluate(() => document.documentElement.dir), "rtl")
  assert.ok((await printable.locator("h1").innerText()).startsWith("MO0056"))
  assert.match(await printable.locator("p.imprint").innerText(), /^صُدّر في .+ · النسخة [0-9a-f]{8}/)
  // A row written in French only is marked untranslated in the Arabic page.
  assert.ok(await printable.locator("td span.untranslated").count() > 0, "untranslated row cells marked")
  // Its own inline styles apply under the app's Content-Security-Policy
  // (allowed by their hash): the heading's green rule is there.
  assert.equal(await printable.evaluate(() => getComputedStyle(document.querySelector("h1")).borderBottomColor), "rgb(10, 92, 54)")
  await printable.close()

  step("switching the interface to French flips the layout left to right")
  await a.locator(".lang-box select").selectOption("fr")
  await until(a, "dir=ltr", () => document.documentElement.dir === "ltr" && document.documentElement.lang === "fr-MA")
  assert.equal(await a.evaluate(() => getComputedStyle(document.querySelector("main")).direction), "ltr")
  await a.waitForSelector("text=Activités (jalons)")
  const startA = await a.evaluate(() => document.querySelector(".editor-grid .fields").getBoundingClientRect().left)
  const startSide = await a.evaluate(() => document.querySelector(".editor-grid .side").getBoundingClientRect().left)
  assert.ok(startA < startSide, "in French the fields are left of the side panel")
  await a.locator(".lang-box select").selectOption("ar")
  await until(a, "dir=rtl again", () => document.documentElement.dir === "rtl")
  const rtlFields = await a.evaluate(() => document.querySelector(".editor-grid .fields").getBoundingClientRect().left)
  const rtlSide = await a.evaluate(() => document.querySelector(".editor-grid .side").getBoundingClientRect().left)
  assert.ok(rtlFields > rtlSide, "in Arabic the fields are right of the side panel")

  step("360 px wide: no horizontal scrolling, fields labelled")
  const narrow = await browser.newContext({ viewport: { width: 360, height: 740 } })
  await narrow.request.post(`${origin}/api/session`, { data: { email: "salma@example.org", password: PASSWORD } })
  const n = await narrow.newPage()
  await n.goto(cardUrl)
  await n.waitForSelector(".card-editor codraft-text")
  const overflow = await n.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 360px`)
  const unlabelled = await n.evaluate(() => [...document.querySelectorAll("textarea, input, select, codraft-text")].filter(el => {
    if (el.labels?.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return false
    return true
  }).map(el => el.outerHTML.slice(0, 80)))
  assert.deepEqual(unlabelled, [], "every control has a label")
  // The side panels come after the fields on screen as in tab order; the
  // bar under the title stays in view and reaches them.
  const [fieldsTop, sideTop] = await n.evaluate(() => [document.querySelector(".fields").getBoundingClientRect().top, document.querySelector(".side").getBoundingClientRect().top])
  assert.ok(sideTop > fieldsTop, "on a phone the side panels follow the fields")
  await n.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2))
  const inView = await n.evaluate(() => { const r = document.querySelector(".card-jump").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight })
  assert.ok(inView, "the bar stays in view while scrolling")
  await n.locator(".card-jump a.jump-panel[href='#sec-issues']").click()
  assert.equal(await n.evaluate(() => document.activeElement?.id), "sec-issues", "the link goes to the completeness panel")
  // Go to a field by its name.
  await n.locator("select.jump-field").selectOption("summary/fr/text")
  assert.equal(await n.evaluate(() => document.activeElement?.dataset?.path), "summary/fr/text")
  await n.screenshot({ path: join(artifacts, "card-360px.png") })
  await narrow.close()

  step("a co-coordinator invites a member, who signs up through the link and edits")
  await a.goto(`${origin}/#/group/climate_environment`)
  await a.waitForSelector("table.members")
  assert.ok((await a.locator("table.members").innerText()).includes("Yassine"))
  // No "remove" beside one's own name; beside others', one.
  assert.equal(await a.getByRole("button", { name: "حذف — Amina" }).count(), 0)
  assert.equal(await a.getByRole("button", { name: "حذف — Yassine" }).count(), 1)
  assert.equal(await a.getByRole("button", { name: "تغيير لوني في الحضور" }).count(), 1, "the colour button has a label in the interface language")
  await a.locator("form select").last().selectOption("member")
  await a.getByRole("button", { name: "دعوة شخص" }).last().click()
  const link = await a.locator(".invite-link input").inputValue()
  assert.match(link, /\/#\/invite\/cdi_[0-9a-f]{64}$/)
  const ctxC = await browser.newContext({ viewport: { width: 1000, height: 800 } })
  const c = await ctxC.newPage()
  await c.goto(link)
  await c.locator("input[name=name]").fill("Nadia")
  await c.locator("input[name=email]").fill("nadia@example.org")
  await c.locator("input[name=organisation]").fill("جمعية الأطلس للبيئة")
  await c.locator("select[name=sector]").selectOption("civil_society")
  await c.locator("input[name=password]").fill("a long enough password")
  await c.getByRole("button", { name: "إنشاء حسابي والانضمام" }).click()
  await c.locator(".card-link", { hasText: "MO0056" }).click()
  await c.waitForSelector(".card-editor")
  await field(c, "baseline/fr/text").click()
  await c.keyboard.press("Control+End")
  await field(c, "baseline/fr/text").pressSequentially(" (Nadia)", { delay: 5 })
  await a.goto(cardUrl)
  await a.waitForSelector(".card-editor")
  await until(a, "A sees Nadia's edit", () => document.querySelector('codraft-text[data-path="baseline/fr/text"]')?.value.endsWith(" (Nadia)"))
  // The link was single use.
  const again = await ctxC.request.get(link.replace("/#/invite/", "/api/invitations/"))
  assert.equal(again.status(), 404)

  step("an observer cannot type into fields")
  const { page: d } = await person("Karim", "#5d4037", "other", "karim@example.org")
  await d.goto(cardUrl)
  await d.waitForSelector(".card-editor .notice")
  const before = await value(d, "problem/ar/text")
  assert.equal(await field(d, "problem/ar/text").isEditable(), false)
  await field(d, "problem/ar/text").click({ force: true })
  await d.keyboard.type("تعديل غير مسموح")
  assert.equal(await value(d, "problem/ar/text"), before)
  assert.equal(await d.locator(".table-wrap[data-path=activities] button.add").isDisabled(), true)

  assert.deepEqual(pageErrors, [], "no uncaught error in any page")
  step("home: MO0056 says who edited it last")
  await a.goto(origin)
  await until(a, "the last edit of MO0056", () => [...document.querySelectorAll(".card-link")].some(l => l.textContent.includes("MO0056") && /\d\d:\d\d/.test(l.querySelector(".last-edit")?.textContent ?? "")))
  console.log("webapp test passed")
} finally {
  await browser.close()
}
