// Codraft's service worker: keeps the app shell (the page, its script and
// styles, the WASM client, the fonts) so that a reload during a network
// cut opens the app, which then reads the cards kept in this browser
// (IndexedDB). The API and the sync socket are never cached here.
const CACHE = 'codraft-shell-v1';

self.addEventListener('install', (e) => {
  self.skipWaiting();
  e.waitUntil(caches.open(CACHE).then((c) => c.add('/')));
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const k of await caches.keys()) if (k !== CACHE) await caches.delete(k);
    await self.clients.claim();
  })());
});

// The page tells what it loaded before the worker was in charge.
self.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'keep' && Array.isArray(e.data.urls)) {
    e.waitUntil(caches.open(CACHE).then((c) => Promise.all(e.data.urls.map((u) => c.add(u).catch(() => undefined)))).then(() => {
      if (e.source) e.source.postMessage({ type: 'kept' });
    }));
  }
});

function shell(url) {
  return url.origin === self.location.origin && !url.pathname.startsWith('/api/') && url.pathname !== '/sync';
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || !shell(url)) return;
  if (req.mode === 'navigate') {
    // The page: the network's when there is one (a new version), else the kept one.
    e.respondWith(fetch(req).then((r) => {
      if (r.ok) {
        const copy = r.clone();
        caches.open(CACHE).then((c) => c.put('/', copy));
      }
      return r;
    }).catch(() => caches.match('/')));
    return;
  }
  // Scripts, styles, WASM, fonts (their names change with their content).
  e.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((r) => {
    if (r.ok) {
      const copy = r.clone();
      caches.open(CACHE).then((c) => c.put(req, copy));
    }
    return r;
  })));
});
