// What the browser test scripts share: Debian's Chromium started through
// playwright-core, and a wait that leaves a screenshot when it times out.
import { existsSync } from "node:fs"
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { chromium } from "playwright-core"

const CHROMIUM = "/usr/bin/chromium"

/** Starts Chromium; `artifacts` is where screenshots go. */
export async function launch(artifacts) {
  if (!existsSync(CHROMIUM)) throw new Error("the browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
  await mkdir(artifacts, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  })
}

/** Waits until `fn(arg)` holds in page `p`; on timeout, a screenshot
 *  (`failure`.png in `artifacts`) and an error naming `what`. */
export function waiter(artifacts, failure = "failure") {
  return async (p, what, fn, arg, ms = 15000) => {
    await p.waitForFunction(fn, arg, { timeout: ms, polling: 50 }).catch(async e => {
      await p.screenshot({ path: join(artifacts, `${failure}.png`) }).catch(() => {})
      // What the page says of its connection and saving, for the log.
      const status = await p.evaluate(() => {
        const s = document.getElementById("status")
        return `${s?.dataset.state} «${s?.textContent}» online=${navigator.onLine}`
      }).catch(() => "?")
      throw new Error(`timed out: ${what} (page ${p.url()}; status ${status}): ${e.message}`)
    })
  }
}

/** A new browser context signed in as `email` (demo password) and its
 *  page; page errors and Content-Security-Policy reports go to `errors`. */
export async function signedIn(browser, origin, name, email, errors) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const res = await ctx.request.post(`${origin}/api/session`, { data: { email, password: "codraft-demo" } })
  if (res.status() !== 200) throw new Error(`sign-in of ${email}: ${res.status()} ${await res.text()}`)
  const page = await ctx.newPage()
  page.on("pageerror", e => { console.error(`${name}: page error: ${e.message}`); errors.push(`${name}: ${e.message}`) })
  page.on("console", m => {
    if (m.type() === "error") console.error(`${name}: console: ${m.text()}`)
    if (/Content Security Policy/i.test(m.text())) errors.push(`${name}: CSP: ${m.text()}`)
  })
  return page
}
