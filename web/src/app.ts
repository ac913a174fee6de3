// The one CodraftClient of the page, its events fanned out to whoever
// listens, and who "I" am (name, colour, sector) for presence.

import init, {
  CodraftClient,
  cardLabels,
  cardChoices,
  cardFields,
  blankCard,
  blankRow,
  validateCard,
  exportCard,
  formatDate,
} from '../../client-wasm/pkg/codraft_client.js';

import type { AppEvent, ClientEvent, ConnectionState } from './events';

export type Path = (string | number)[];
export interface Patch {
  action: 'text' | 'put' | 'insert' | 'delete' | 'increment' | 'other';
  path: Path;
  value?: unknown;
  values?: unknown[];
  length?: number;
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

export const COLOURS = ['#b3261e', '#0b57d0', '#146c2e', '#8e24aa', '#c05600', '#00796b', '#ad1457', '#5d4037'];

class App {
  client!: CodraftClient;
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
    this.choices = cardChoices() as Choices;
  }

  /** Signed in: presence shows the account's name and sector; dial the server. */
  signedIn(account: import('./api').Me) {
    this.account = account;
    this.me = { ...this.me, name: account.user.name, sector: account.user.sector };
    if (this.connected) return;
    this.connected = true;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.client = new CodraftClient(`${proto}//${location.host}/sync`, (e: ClientEvent) => {
      if (e.type === 'connection') this.connection = e.state;
      for (const h of [...this.handlers]) h(e);
    });
    this.client.connect();
    // The browser knows first when the network goes: stop dialling then,
    // and dial again as soon as it is back.
    window.addEventListener('offline', () => this.client.disconnect());
    window.addEventListener('online', () => this.client.connect());
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
export { cardLabels, cardFields, blankCard, blankRow, validateCard, exportCard, formatDate };

export function pathKey(p: Path): string {
  return p.join('/');
}
