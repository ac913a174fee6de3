// The reference automerge-repo sync server, as the automerge-repo README
// builds it: a Repo with the WebSocket server adapter and file storage,
// never announcing documents. Used by the benchmark, side by side with
// Codraft. Usage: node reference-server.mjs PORT DATA_DIR
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

const [port, dir] = process.argv.slice(2)
if (!port || !dir) throw new Error("usage: node reference-server.mjs PORT DATA_DIR")
const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(port) })
new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: `reference-${process.pid}`,
  sharePolicy: async () => false,
})
wss.on("listening", () => console.log(`listening on ws://127.0.0.1:${wss.address().port}/sync`))
process.on("SIGTERM", () => process.exit(0))
