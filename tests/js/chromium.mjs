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
      throw new Error(`timed out: ${what} (page ${p.url()}): ${e.message}`)
    })
  }
}
