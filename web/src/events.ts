// Every event the WASM client (CodraftClient) emits, and the app's own, as
// one typed union: a listener switches on `type` and TypeScript knows the
// rest (client-wasm/src/wasm/mod.rs builds them).

import type { Patch } from './app';

export type ConnectionState = 'connecting' | 'online' | 'offline';
export type SaveState = 'saved' | 'saving' | 'offline';

export type ClientEvent =
  | { type: 'connection'; state: ConnectionState }
  | { type: 'error'; message: string }
  | { type: 'ready'; url: string }
  | { type: 'unavailable'; url: string }
  | { type: 'change'; url: string; patches: Patch[] }
  | { type: 'save'; url: string; state: SaveState }
  | { type: 'presence'; url: string; peer: string }
  /** The server refused this document's local changes: they were dropped. */
  | { type: 'refused'; url: string; message: string };

/** The client's events, and `me` when this person's name or colour changed. */
export type AppEvent = ClientEvent | { type: 'me' };
