// The one CodraftClient of the page, its events fanned out to whoever
// listens, and who "I" am (name, colour, sector) for presence.

import init, {
  CodraftClient,
  cardLabels as wasmCardLabels,
  cardChoices,
  cardFields as wasmCardFields,
  blankCard,
  blankRow,
  validateCard,
  exportCard,
  formatDate as wasmFormatDate,
} from '../../client-wasm/pkg/codraft_client.js';
import type { CardDescription } from './draft';

import type { AppEvent, ClientEvent, ConnectionState } from './events';

export type Path = (string | number)[];
/** A change to a document, as the client tells it (`patches_to_json`).
 *  A text's edits are splices by code points: `index`, `remove`, `insert`,
 *  and the text's `length` in code points once applied. */
export interface Patch {
  action: 'splice' | 'put' | 'insert' | 'delete' | 'increment' | 'other';
  path: Path;
  value?: unknown;
  values?: unknown[];
  length?: number;
  index?: number;
  remove?: number;
  insert?: string;
}
/** One language's version of a text, in a card read as JSON. */
export interface LangTextJson {
  text?: string;
  status?: string;
}
/** A card as `client.read(url, [])` returns it: the fields this code reads
 *  by name are typed; the rest are read by path. */
export interface CardJson {
  number?: string;
  title?: Partial<Record<'ar' | 'fr' | 'zgh', LangTextJson>>;
  [field: string]: unknown;
}
export interface Me {
  name: string;
  colour: string;
  sector: string;
}
export interface Focus {
  field: string | null;
  anchor: string | null;
  head: string | null;
}
export interface PeerState {
  user?: Me;
  focus?: Focus;
}
export interface Choices {
  values: string[];
  coreValues: string[];
  actorKinds: string[];
  activityStatuses: string[];
  indicatorKinds: string[];
  decisions: string[];
  completions: string[];
  workflow: string[];
  textStatuses: string[];
  axes: string[];
  groups: string[];
  textSections: string[];
  schemaVersion: number;
}
export interface Issue {
  code: string;
  field: string;
  severity: 'required' | 'recommended';
  message: string;
}

type Handler = (e: AppEvent) => void;

/** What pages ask of a document's client: the live WASM client, or on a
 *  card opened before it is in, that card's draft (`draft.ts`). */
export type DocClient = Pick<CodraftClient,
  'open' | 'close' | 'read' | 'put' | 'insert' | 'delete' | 'updateText' | 'spliceChars' | 'cursorAt' | 'cursorIndex'
  | 'setPresence' | 'peers' | 'heads' | 'saveState' | 'undo' | 'redo' | 'canUndo' | 'canRedo'>;

export const COLOURS = ['#b3261e', '#0b57d0', '#146c2e', '#8e24aa', '#c05600', '#00796b', '#ad1457', '#5d4037'];

/** `c`, asking `before` first on every call: the page hands over the
 *  edits it shows and has not given the client yet (fields.ts), so the
 *  client never answers for a document older than the page. */
function handingOver<T extends object>(c: T, before: () => void): T {
  return new Proxy(c, {
    get(target, key) {
      const v = Reflect.get(target, key, target);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        before();
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

class App {
  private wrapped: DocClient | undefined;
  /** The document's client, by way of which every call first hands over
   *  what the page shows and has not handed over (`beforeUse`). */
  get client(): DocClient {
    return this.wrapped!;
  }
  set client(c: DocClient) {
    this.wrapped = c === undefined ? c : handingOver(c, () => this.beforeUse());
  }
  /** Run before anything is asked of the client, and before it takes in
   *  what comes from elsewhere (set by fields.ts: `handOver`). */
  beforeUse: () => void = () => {};
  /** The WASM client, once signed in and the client is in. */
  live: CodraftClient | null = null;
  /** The WASM module is in: labels, fields and dates come from it. */
  wasm = false;
  connection: ConnectionState = 'connecting';
  private handlers = new Set<Handler>();
  choices!: Choices;
  me!: Me;

  /** The signed-in account and its groups (from /api/me). */
  account: import('./api').Me | null = null;
  private connected = false;

  async start() {
    this.me = loadMe();
    await init();
    this.wasm = true;
    this.choices = cardChoices() as Choices;
  }

  /** Before the WASM client is in: the card's words and layout from the
   *  server's description of it. */
  described(d: CardDescription) {
    description = d;
    this.choices ??= d.choices as Choices;
  }

  /** Who is signed in (presence shows the account's name and sector). */
  setAccount(account: import('./api').Me) {
    this.account = account;
    this.me = { ...this.me, name: account.user.name, sector: account.user.sector };
  }

  /** Signed in and the WASM client in: dial the server. */
  signedIn(account: import('./api').Me) {
    this.setAccount(account);
    if (this.connected) return;
    this.connected = true;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const live = new CodraftClient(`${proto}//${location.host}/sync`, (e: ClientEvent) => {
      if (e.type === 'connection') this.connection = e.state;
      for (const h of [...this.handlers]) h(e);
    });
    this.live = live;
    live.setBeforeRemote(() => this.beforeUse());
    // A drafted card keeps its draft until the document is open here.
    this.client ??= live;
    live.connect();
    // The browser knows first when the network goes: stop dialling then,
    // and dial again as soon as it is back.
    window.addEventListener('offline', () => live.disconnect());
    window.addEventListener('online', () => live.connect());
  }

  on(h: Handler): () => void {
    this.handlers.add(h);
    return () => this.handlers.delete(h);
  }

  setMe(me: Me) {
    this.me = me;
    localStorage.setItem('codraft.me', JSON.stringify(me));
    for (const h of [...this.handlers]) h({ type: 'me' });
  }
}

function loadMe(): Me {
  try {
    const me = JSON.parse(localStorage.getItem('codraft.me') ?? 'null');
    if (me && typeof me.name === 'string') return me;
  } catch {
    /* a fresh identity below */
  }
  const n = Math.floor(Math.random() * 900 + 100);
  const me = {
    name: `Participant ${n}`,
    colour: COLOURS[n % COLOURS.length],
    sector: 'civil_society',
  };
  localStorage.setItem('codraft.me', JSON.stringify(me));
  return me;
}

export const app = new App();
export { blankCard, blankRow, validateCard, exportCard };

/** The server's description of the card, until the WASM module is in. */
let description: CardDescription | null = null;

/** Every field of the card, in order (see `layout.ts`). */
export function cardFields(): unknown {
  return app.wasm || !description ? wasmCardFields() : description.fields;
}

/** Every field's and choice's name in a language. */
export function cardLabels(lang: string): unknown {
  return app.wasm || !description ? wasmCardLabels(lang) : description.labels[lang] ?? {};
}

/** An ISO date as people write it in `lang` (the schema crate's form:
 *  day, month name, year; anything else as it is). */
export function formatDate(iso: string, lang: string): string {
  if (app.wasm || !description) return wasmFormatDate(iso, lang);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = m ? description.months[lang]?.[Number(m[2]) - 1] : undefined;
  return m && month && Number(m[3]) >= 1 && Number(m[3]) <= 31 ? `${Number(m[3])} ${month} ${m[1]}` : iso;
}

export function pathKey(p: Path): string {
  return p.join('/');
}
