// A card before the live client is in. On a slow first visit the WASM
// client is most of the bytes; rather than wait for it, the page draws the
// card from the server's copy (GET /api/documents/{doc}/snapshot, which
// names the heads it is at) laid out from the card's description
// (GET /api/schema/card), and its text fields take typing at once. What is
// typed is kept (here, and in localStorage for a reload) and handed to the
// live client once the document is open (`updateTextsAt`): made on the
// version the page showed and merged, so what anyone wrote meanwhile stays.
// Everything else (rows added or moved, choices, presence, review,
// comments, completeness, export) waits for the live client.

import { api } from './api';
import type { components } from './api.gen';
import type { DocClient, Path } from './app';
import { pathKey } from './app';

export type Snapshot = components['schemas']['Snapshot'];

/** The card's fields, choices, labels and month names (schema crate). */
export interface CardDescription {
  fields: unknown[];
  choices: unknown;
  labels: Record<string, Record<string, string>>;
  months: Record<string, string[]>;
}

/** What a draft keeps for a reload: the version and the texts typed on
 *  it. A card keeps a list: a reload may draw a newer version, and the
 *  words typed on the older one are merged on theirs. */
interface Kept {
  heads: string[];
  edits: { path: Path; text: string }[];
}

const key = (url: string) => `codraft.draft.${url}`;

/** Fetches a card's snapshot and description together; null if either
 *  fails (offline, no access): the page then waits for the live client. */
export async function fetchDraft(url: string): Promise<{ snapshot: Snapshot; description: CardDescription } | null> {
  try {
    const [snapshot, description] = await Promise.all([
      api<Snapshot>('GET', `/api/documents/${encodeURIComponent(url)}/snapshot`),
      api<CardDescription>('GET', '/api/schema/card'),
    ]);
    return { snapshot, description };
  } catch {
    return null;
  }
}

/** Not possible before the live client is in (the controls are disabled). */
export class NotLive extends Error {}

/** Stands in for the live client on one card: reads the server's copy,
 *  takes text edits, refuses the rest. */
export class Draft implements DocClient {
  /** The texts typed, by path key. */
  private edits = new Map<string, { path: Path; text: string }>();
  /** Typed before a reload on other versions (merged first). */
  private earlier: Kept[];

  constructor(readonly url: string, private snapshot: Snapshot) {
    // Words typed before a reload on this same version are shown again.
    const old = kept(url);
    const same = old.find((k) => sameHeads(k.heads, snapshot.heads));
    for (const e of same?.edits ?? []) this.edits.set(pathKey(e.path), e);
    this.earlier = old.filter((k) => k !== same);
  }

  /** Everything to merge: earlier versions' words, then this one's. */
  all(): Kept[] {
    return [...this.earlier, { heads: this.snapshot.heads, edits: this.typed() }];
  }

  /** The texts typed so far. */
  typed(): { path: Path; text: string }[] {
    return [...this.edits.values()];
  }

  /** The version the page shows (the snapshot's heads). */
  heads(): unknown {
    return this.snapshot.heads;
  }

  read(url: string, path: unknown): unknown {
    const p = path as Path;
    const typed = this.edits.get(pathKey(p));
    if (url === this.url && typed) return typed.text;
    let v: unknown = url === this.url ? this.snapshot.doc : undefined;
    for (const k of p) {
      if (v === null || typeof v !== 'object') throw new NotLive(`no ${pathKey(p)}`);
      v = (v as Record<string, unknown>)[String(k)];
    }
    if (v === undefined) throw new NotLive(`no ${pathKey(p)}`);
    return v;
  }

  updateText(url: string, path: unknown, text: string): void {
    if (url !== this.url) throw new NotLive(url);
    const p = path as Path;
    this.edits.set(pathKey(p), { path: p, text });
    try {
      localStorage.setItem(key(this.url), JSON.stringify(this.all()));
    } catch {
      /* full: kept in this tab only */
    }
  }

  spliceChars(url: string, path: unknown, index: number, remove: number, text: string, length?: number | null): void {
    const now = [...String(this.read(url, path))];
    if (length != null && length !== now.length) throw new NotLive('not this text');
    now.splice(index, remove, text);
    this.updateText(url, path, now.join(''));
  }

  // Positions need the document: callers fall back to plain offsets.
  cursorAt(): string {
    throw new NotLive('cursor');
  }
  cursorIndex(): number {
    throw new NotLive('cursor');
  }
  put(): void {
    throw new NotLive('put');
  }
  insert(): void {
    throw new NotLive('insert');
  }
  delete(): void {
    throw new NotLive('delete');
  }
  setPresence(): void {}
  peers(): unknown {
    return {};
  }
  saveState(): string {
    return 'draft';
  }
  async open(url: string): Promise<void> {
    if (url !== this.url) throw new NotLive(url);
  }
  close(): void {}
  canUndo(): boolean {
    return false;
  }
  canRedo(): boolean {
    return false;
  }
  undo(): boolean {
    return false;
  }
  redo(): boolean {
    return false;
  }
}

function kept(url: string): Kept[] {
  try {
    const v = JSON.parse(localStorage.getItem(key(url)) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as Kept[]) : [];
  } catch {
    return [];
  }
}

function sameHeads(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

/**
 * Hands what was typed into `url` before the live client was in — in this
 * tab (`draft`) or before a reload (localStorage) — to the live client,
 * which has the document open. Forgets it once merged.
 */
export function replay(live: DocClient & { updateTextsAt(url: string, heads: unknown, edits: unknown): number }, url: string, draft?: Draft) {
  for (const k of draft ? draft.all() : kept(url)) {
    if (k.edits.length === 0) continue;
    try {
      live.updateTextsAt(url, k.heads, k.edits);
    } catch {
      // That version is not here (nothing was changed): the texts as typed
      // replace the fields' texts, so the person's words stay.
      for (const e of k.edits) {
        try {
          live.updateText(url, e.path, e.text);
        } catch {
          /* the field is gone */
        }
      }
    }
  }
  localStorage.removeItem(key(url));
}
