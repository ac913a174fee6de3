// IndexedDB for the Codraft WASM client: one object store of documents,
// each under its id: a whole document (Automerge's compact format), then
// the change chunks appended since (Automerge loads them as one).
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

// Appends to what is kept under `key`, in one transaction (IndexedDB runs
// a store's transactions in the order they were made, so a whole write
// made before lands first). Nothing kept (the site's data was cleared):
// nothing written, the next whole write keeps the document again.
export async function idbAppend(key, bytes) {
  const copy = bytes.slice()
  const d = await db()
  return new Promise((resolve, reject) => {
    const tx = d.transaction(STORE, "readwrite")
    const store = tx.objectStore(STORE)
    const req = store.get(key)
    req.onsuccess = () => {
      if (req.result === undefined) return
      const kept = new Uint8Array(req.result)
      const joined = new Uint8Array(kept.length + copy.length)
      joined.set(kept)
      joined.set(copy, kept.length)
      store.put(joined, key)
    }
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
