// IndexedDB for the Codraft WASM client: one object store of documents,
// each saved whole (Automerge's compact format) under its id.
const DB = "codraft"
const STORE = "documents"
let opened = null

function db() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1)
      req.onupgradeneeded = () => req.result.createObjectStore(STORE)
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
  }
  return opened
}

export async function idbPut(key, bytes) {
  // `bytes` is a view into WASM memory, valid only until the next call into
  // WASM: copy it before the first await.
  const copy = bytes.slice()
  const d = await db()
  return new Promise((resolve, reject) => {
    const tx = d.transaction(STORE, "readwrite")
    tx.objectStore(STORE).put(copy, key)
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
  })
}

export async function idbGet(key) {
  const d = await db()
  return new Promise((resolve, reject) => {
    const req = d.transaction(STORE, "readonly").objectStore(STORE).get(key)
    req.onsuccess = () => resolve(req.result === undefined ? null : new Uint8Array(req.result))
    req.onerror = () => reject(req.error)
  })
}
