// Presence interop: a JS automerge-repo client and Codraft's client edit the
// same document and see each other's Presence state. Usage: node presence.mjs ws://HOST:PORT/sync automerge:URL
// Exits 0 once it has seen the Rust peer's `user` = "Amina (Rust)" and has
// been seen (the Rust side waits for `user` = "Youssef (JS)").
import { Repo, Presence } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

const [url, docUrl] = process.argv.slice(2)
const repo = new Repo({ network: [new WebSocketClientAdapter(url, 500)], peerId: `js-presence-${process.pid}` })
await repo.networkSubsystem.whenReady()
const handle = await repo.find(docUrl)
// Edit the same document: the Rust side waits for this field.
handle.change(d => { d.editedByJs = "تعديل من جافاسكريبت" })
const presence = new Presence({ handle })
presence.start({ initialState: { user: "Youssef (JS)", field: "indicators" }, heartbeatMs: 300 })
const end = Date.now() + 10000
while (Date.now() < end) {
  const states = Object.values(presence.getPeerStates().getStates())
  if (states.some(s => s.value?.user === "Amina (Rust)" && s.value?.field === "title")) {
    // Stay a little so the Rust side receives our state too.
    await new Promise(r => setTimeout(r, 1000))
    console.log("saw the Rust peer")
    presence.stop()
    await repo.shutdown()
    process.exit(0)
  }
  await new Promise(r => setTimeout(r, 25))
}
console.error("never saw the Rust peer's presence")
process.exit(1)
