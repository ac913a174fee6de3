// Writes protocol/tests/fixtures/*.cbor: frames encoded by the real JS encoder
// (automerge-repo's cbor helper, cbor-x with tagUint8Array: false,
// useRecords: false), so the Rust decoder is tested against what JS clients
// really send. Run: node tests/js/make-fixtures.mjs (from the repository root).
import { writeFileSync } from "node:fs"
import { cbor } from "@automerge/automerge-repo"
import * as A from "@automerge/automerge"

const dir = new URL("../../protocol/tests/fixtures/", import.meta.url)
const documentId = "2ta1dQRziasGpTgzhDrBv9DTWno4"
let doc = A.from({ title: "الشفافية", titre: "Transparence", zgh: "ⵜⴰⴼⵔⵓⵏⵜ" })
const [, syncData] = A.generateSyncMessage(doc, A.initSyncState())

const frames = {
  join: {
    type: "join",
    senderId: "client-7f3a",
    peerMetadata: { storageId: undefined, isEphemeral: true },
    supportedProtocolVersions: ["1"],
  },
  "join-with-storage": {
    type: "join",
    senderId: "client-storage",
    peerMetadata: { storageId: "3760df37-a4c6-4f66-9ecd-732039a9385d", isEphemeral: false },
    supportedProtocolVersions: ["1"],
  },
  "join-legacy-metadata": { type: "join", senderId: "old-client", metadata: { isEphemeral: true } },
  peer: {
    type: "peer",
    senderId: "server",
    peerMetadata: { storageId: "3760df37-a4c6-4f66-9ecd-732039a9385d", isEphemeral: false },
    selectedProtocolVersion: "1",
    targetId: "client-7f3a",
  },
  error: { type: "error", senderId: "server", message: "unsupported protocol version", targetId: "client-7f3a" },
  leave: { type: "leave", senderId: "client-7f3a" },
  request: { type: "request", senderId: "client-7f3a", targetId: "server", documentId, data: syncData },
  sync: { type: "sync", senderId: "client-7f3a", targetId: "server", documentId, data: syncData },
  "doc-unavailable": { type: "doc-unavailable", senderId: "server", targetId: "client-7f3a", documentId },
  ephemeral: {
    type: "ephemeral",
    senderId: "client-7f3a",
    targetId: "server",
    count: 3,
    sessionId: "k2j3h4g5",
    documentId,
    data: cbor.encode({ __presence: { type: "update", channel: "caret", value: { field: "title", at: 12 } } }),
  },
  "remote-subscription-change": {
    type: "remote-subscription-change",
    senderId: "client-7f3a",
    targetId: "server",
    add: ["3760df37-a4c6-4f66-9ecd-732039a9385d"],
    remove: undefined,
  },
  "remote-heads-changed": {
    type: "remote-heads-changed",
    senderId: "server",
    targetId: "client-7f3a",
    documentId,
    newHeads: {
      "3760df37-a4c6-4f66-9ecd-732039a9385d": { heads: A.getHeads(doc), timestamp: Date.now() },
    },
  },
  "unknown-type": { type: "future-thing", senderId: "client-7f3a", extra: [1, 2, 3] },
}

for (const [name, msg] of Object.entries(frames)) {
  writeFileSync(new URL(`${name}.cbor`, dir), cbor.encode(msg))
}
console.log(`wrote ${Object.keys(frames).length} fixtures`)
