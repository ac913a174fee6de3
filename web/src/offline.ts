// Opening offline: the service worker (public/sw.js) keeps the app shell;
// this keeps the account and each opened card's metadata from the last
// time they were fetched, so that a reload during a network cut shows the
// cards kept in this browser instead of the browser's error page.

import { ApiError, api } from './api';

/** Registers the service worker and hands it what the page loaded before
 *  it was in charge. */
export function keepShell() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').then(async () => {
    const ready = await navigator.serviceWorker.ready;
    const urls = performance.getEntriesByType('resource')
      .map((e) => new URL(e.name))
      .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/api/') && u.pathname !== '/sync')
      .map((u) => u.pathname + u.search);
    ready.active?.postMessage({ type: 'keep', urls: ['/', ...new Set(urls)] });
  }).catch(() => undefined);
}

/** A network failure (as opposed to the server's answer). */
function unreachable(e: unknown): boolean {
  return !(e instanceof ApiError);
}

/** GETs `path`; when the network is down, the answer kept from the last
 *  time (if any). */
export async function kept<T>(path: string): Promise<T> {
  const key = `codraft.kept.${path}`;
  try {
    const v = await api<T>('GET', path);
    localStorage.setItem(key, JSON.stringify(v));
    return v;
  } catch (e) {
    const old = localStorage.getItem(key);
    if (unreachable(e) && old !== null) return JSON.parse(old) as T;
    throw e;
  }
}

/** Forgets what was kept (signing out). */
export function forget() {
  for (const k of Object.keys(localStorage)) if (k.startsWith('codraft.kept.')) localStorage.removeItem(k);
}
