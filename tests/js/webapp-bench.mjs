// Benchmark of the web app (bench command): keystroke-to-render latency in
// Chromium on a card with 30 activities. Two browser contexts (two people,
// no shared tabs) open the same card through a Codraft server serving
// web/dist; one types into activity 16's title, one key at a time.
//   local:  keydown in A → the frame after A's input handler ran (the edit
//           applied to A's document and the sync message sent);
//   remote: keydown in A → the frame after B applied the patch to its DOM
//           (through the server, durable on disk before B hears of it).
// Usage: node webapp-bench.mjs http://HOST:PORT [KEYSTROKES]
import { chromium } from "playwright-core"

const [origin, n = "200"] = process.argv.slice(2)
const KEYS = Number(n)
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
})
const pct = (xs, p) => { const s = [...xs].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))] }
async function signedIn(email) {
  const ctx = await browser.newContext()
  const res = await ctx.request.post(`${origin}/api/session`, { data: { email, password: "codraft-demo" } })
  if (res.status() !== 200) throw new Error(`sign-in ${email}: ${res.status()}`)
  return ctx.newPage()
}
try {
  const a = await signedIn("amina@example.org")
  const b = await signedIn("yassine@example.org")
  await a.goto(origin)
  await a.locator(".card-link", { hasText: "MO0056" }).click()
  await a.waitForSelector(".card-editor")
  const add = a.locator(".table-wrap[data-path=activities] button.add")
  while (await a.locator("table.rows-activities tbody tr").count() < 30) await add.click()
  await b.goto(a.url())
  await b.waitForFunction(() => document.querySelectorAll("table.rows-activities tbody tr").length === 30)
  const target = 'textarea[data-path="activities/15/title/ar/text"]'
  await b.evaluate(() => {
    window.rendered = []
    window.addEventListener("codraft:applied", () => requestAnimationFrame(() => window.rendered.push(performance.timeOrigin + performance.now())))
  })
  await a.evaluate((sel) => {
    window.keys = []
    window.local = []
    window.handled = []
    const el = document.querySelector(sel)
    el.addEventListener("keydown", e => window.keys.push(performance.timeOrigin + e.timeStamp))
    // Registered after the app's own input listener, so it runs after it.
    el.addEventListener("input", () => { const t0 = window.keys[window.keys.length - 1]; window.handled.push(performance.timeOrigin + performance.now() - t0); requestAnimationFrame(() => window.local.push(performance.timeOrigin + performance.now() - t0)) })
  }, target)
  await a.locator(target).click()
  const remote = []
  for (let i = 0; i < KEYS; i++) {
    const before = await b.evaluate(() => window.rendered.length)
    await a.keyboard.press(i % 10 === 9 ? "Space" : "KeyA")
    await b.waitForFunction(n => window.rendered.length > n, before, { polling: 5 })
    const [sent, shown] = [await a.evaluate(() => window.keys[window.keys.length - 1]), await b.evaluate(() => window.rendered[window.rendered.length - 1])]
    remote.push(shown - sent)
    await a.waitForTimeout(20)
  }
  const local = await a.evaluate(() => window.local)
  const handled = await a.evaluate(() => window.handled)
  const v = await b.locator(target).inputValue()
  const typed = Array.from({ length: KEYS }, (_, i) => (i % 10 === 9 ? " " : "a")).join("")
  if (v !== typed) throw new Error(`B's field did not follow: ${JSON.stringify(v)}`)
  const f = x => `${x.toFixed(1)} ms`
  console.log(`| keystroke → edit applied in the typist's page (input handled: Automerge change, cursors, presence, sync message out) | ${f(pct(handled, 50))} | ${f(pct(handled, 99))} |`)
  console.log(`| keystroke → rendered in the typist's page (card with 30 activities) | ${f(pct(local, 50))} | ${f(pct(local, 99))} |`)
  console.log(`| keystroke → rendered in the other person's page, through the server | ${f(pct(remote, 50))} | ${f(pct(remote, 99))} |`)
  console.log(`(${KEYS} keystrokes; ${local.length} local samples)`)
} finally {
  await browser.close()
}
