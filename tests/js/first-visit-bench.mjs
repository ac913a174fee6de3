// Benchmark (bench command): a first visit on a phone network. From a cold
// cache (a new browser context: no HTTP cache, no service worker) to an
// editable card: the link to MO0056 opened by a signed-in person, timed
// until its summary field shows the card and takes typing that is kept
// (drawn from the server's copy while the WASM client downloads, or live),
// and until the card is live and synced with the server. Two profiles,
// emulated by Chromium (DevTools network conditions): 9 Mbit/s down with
// 40 ms latency, and 1.6 Mbit/s down with 150 ms.
// Prints a Markdown table: median and worst of RUNS runs, bytes transferred.
// Usage: node first-visit-bench.mjs http://HOST:PORT [RUNS]
import { chromium } from "playwright-core"

const [origin, n = "5"] = process.argv.slice(2)
const RUNS = Number(n)
const PROFILES = [
  { name: "9 Mbit/s, 40 ms", down: 9e6 / 8, up: 4e6 / 8, latency: 40, goal: 1000 },
  { name: "1.6 Mbit/s, 150 ms", down: 1.6e6 / 8, up: 750e3 / 8, latency: 150, goal: 2500 },
]
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
})

async function signedInContext() {
  const ctx = await browser.newContext({ serviceWorkers: "block" })
  const res = await ctx.request.post(`${origin}/api/session`, { data: { email: "amina@example.org", password: "codraft-demo" } })
  if (res.status() !== 200) throw new Error(`sign-in: ${res.status()}`)
  return ctx
}

try {
  // The card's link, found once on a fast network.
  const warm = await signedInContext()
  const p = await warm.newPage()
  await p.goto(origin)
  const href = await p.locator(".card-link", { hasText: "MO0056" }).getAttribute("href")
  await warm.close()

  console.log("| network (emulated) | signed out: cold cache → sign-in form, median | cold cache → editable card, median | worst | → live and synced, median | transferred | goal (editable) |")
  console.log("|---|---|---|---|---|---|---|")
  for (const prof of PROFILES) {
    const times = []
    const lives = []
    let bytes = 0
    for (let r = 0; r < RUNS; r++) {
      const ctx = await signedInContext()
      const page = await ctx.newPage()
      const cdp = await ctx.newCDPSession(page)
      await cdp.send("Network.enable")
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false, latency: prof.latency, downloadThroughput: prof.down, uploadThroughput: prof.up,
      })
      let got = 0
      const urls = new Map()
      cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url))
      const each = []
      cdp.on("Network.loadingFinished", (e) => { got += e.encodedDataLength; each.push([urls.get(e.requestId), e.encodedDataLength]) })
      const t0 = Date.now()
      await page.goto(`${origin}/${href}`)
      const editable = (states) => page.waitForFunction((states) => {
        const f = document.querySelector('textarea[data-path="summary/ar/text"]')
        return f && !f.readOnly && f.value.length > 0 && states.includes(document.getElementById("status")?.dataset.state)
      }, states, { timeout: 60000, polling: 10 })
      await editable(["draft", "saved"])
      times.push(Date.now() - t0)
      await editable(["saved"])
      lives.push(Date.now() - t0)
      bytes = got
      if (process.env.DETAIL) {
        console.error(each.map(([u, b]) => `${Math.round(b / 1024)} KB ${u}`).join("\n"))
        console.error(await page.evaluate(() => performance.getEntriesByType("measure").map(e => `${e.name}: ${Math.round(e.startTime)} + ${Math.round(e.duration)} ms`).join("\n")))
        console.error(await page.evaluate(() => performance.getEntriesByType("resource").map(e => `${Math.round(e.startTime)}→${Math.round(e.responseEnd)} ${e.name.split("/").pop()}`).join("\n")))
      }
      await ctx.close()
    }
    // Signed out, the sign-in form: shown before the WASM client is in.
    const forms = []
    for (let r = 0; r < RUNS; r++) {
      const ctx = await browser.newContext({ serviceWorkers: "block" })
      const page = await ctx.newPage()
      const cdp = await ctx.newCDPSession(page)
      await cdp.send("Network.enable")
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false, latency: prof.latency, downloadThroughput: prof.down, uploadThroughput: prof.up,
      })
      const t0 = Date.now()
      await page.goto(`${origin}/${href}`)
      await page.waitForSelector('input[type="email"]', { timeout: 60000 })
      forms.push(Date.now() - t0)
      await ctx.close()
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    times.sort((a, b) => a - b)
    console.log(`| ${prof.name} | ${median(forms)} ms | ${median(times)} ms | ${times[times.length - 1]} ms | ${median(lives)} ms | ${Math.round(bytes / 1024)} KB | ≤ ${prof.goal} ms |`)
  }
} finally {
  await browser.close()
}
