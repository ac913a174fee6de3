// Interop: unmodified automerge-repo 2.5 JS clients sync through a Codraft
// server. Usage: node interop.mjs ws://127.0.0.1:PORT/sync [automerge:URL]
// Prints one JSON line: {url, heads, title} for the Rust side to check.
//
// Scenario: A creates a card; B finds it by URL; both edit both ways and
// concurrently; they converge; they see each other's Presence state; a late
// joiner C loads the full state. If a second argument names a document made
// by the native Rust client, A also opens that and edits it.
import assert from "node:assert/strict"
import { Repo, Presence } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import * as A from "@automerge/automerge"

// With --existing=automerge:URL (a server with accounts, where only the
// API creates documents), A starts from that document instead of creating
// one; the sync URL then carries an API token (?token=...).
const args = process.argv.slice(2)
const existing = args.find(a => a.startsWith("--existing="))?.slice("--existing=".length)
const [url, nativeDoc] = args.filter(a => !a.startsWith("--"))
if (!url) throw new Error("usage: node interop.mjs ws://HOST:PORT/sync [automerge:URL] [--existing=automerge:URL]")

const repo = name => new Repo({ network: [new WebSocketClientAdapter(url, 500)], peerId: `js-${name}-${process.pid}` })
const sleep = ms => new Promise(r => setTimeout(r, ms))
async function until(what, check, ms = 10000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await sleep(25)
  }
  throw new Error(`timed out waiting for ${what}`)
}
async function find(r, u) {
  // The server may not have received the document yet: retry like a user would.
  let last
  for (let i = 0; i < 40; i++) {
    try {
      const h = await r.find(u)
      return h
    } catch (e) {
      last = e
      await sleep(100)
    }
  }
  throw last
}

const a = repo("a")
const b = repo("b")
await a.networkSubsystem.whenReady()
await b.networkSubsystem.whenReady()

const initial = { ogpId: "MO0059", title: "خدمات عمومية للناطقين بالأمازيغية", activities: [] }
const ha = existing ? await find(a, existing) : a.create(initial)
if (existing) ha.change(d => Object.assign(d, initial))
const hb = await find(b, ha.url)
await until("B has A's first change", () => hb.doc().ogpId === "MO0059")

// Edits both ways.
hb.change(d => { d.titleFr = "Services publics pour les amazighophones" })
await until("A sees B's edit", () => ha.doc().titleFr !== undefined)
ha.change(d => { d.titleZgh = "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵜⵓⴳⴷⵓⵎⵉⵏ" })
await until("B sees A's edit", () => hb.doc().titleZgh !== undefined)

// Concurrent edits to the same list converge.
ha.change(d => { d.activities.push({ title: "دليل المستخدم", by: "a" }) })
hb.change(d => { d.activities.push({ title: "Formation des agents", by: "b" }) })
await until("both activities everywhere", () => ha.doc().activities.length === 2 && hb.doc().activities.length === 2)
await until("same heads", () => JSON.stringify(A.getHeads(ha.doc())) === JSON.stringify(A.getHeads(hb.doc())))
assert.deepEqual(ha.doc(), hb.doc())

// Presence in the automerge-repo 2.5 format, relayed by the server.
const pa = new Presence({ handle: ha })
const pb = new Presence({ handle: hb })
pa.start({ initialState: { name: "Amina", sector: "administration", field: "title" }, heartbeatMs: 300 })
pb.start({ initialState: { name: "Youssef", sector: "civil society", field: "activities" }, heartbeatMs: 300 })
const seen = (p, name) => Object.values(p.getPeerStates().getStates()).some(s => s.value?.name === name)
await until("A sees B's presence", () => seen(pa, "Youssef"))
await until("B sees A's presence", () => seen(pb, "Amina"))
pb.broadcast("field", "indicators")
await until("A sees B move field", () =>
  Object.values(pa.getPeerStates().getStates()).some(s => s.value?.field === "indicators"))

// A late joiner gets the whole state.
const c = repo("c")
await c.networkSubsystem.whenReady()
const hc = await find(c, ha.url)
await until("late joiner complete", () => hc.doc().activities?.length === 2)
assert.deepEqual(hc.doc(), ha.doc())

// A document made by the native Rust client.
let native = null
if (nativeDoc) {
  const hn = await find(a, nativeDoc)
  native = { title: hn.doc().title?.toString() }
  hn.change(d => { d.fromJs = "مرحبا من جافاسكريبت" })
  await sleep(300)
}

pa.stop()
pb.stop()
console.log(JSON.stringify({ url: ha.url, heads: A.getHeads(ha.doc()), titleZgh: ha.doc().titleZgh, native }))
await Promise.all([a.shutdown(), b.shutdown(), c.shutdown()])
process.exit(0)
