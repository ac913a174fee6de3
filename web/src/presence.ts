// Presence in the card editor: who is here (the server-verified name and
// role), in which field, and their carets drawn over the text; and this
// person's own presence announced as they move.

import { app, PeerState } from './app';
import type { Role, Sector } from './api';
import { h } from './dom';
import { label, LANGS, Lang, t } from './i18n';
import { Caret, TextField } from './fields';
import { rowPlace } from './rows';

/** A page with live texts (the card editor, a meeting's minutes). */
export interface PresenceHost {
  url: string;
  focused: TextField | null;
  texts: Map<string, TextField>;
}

type Peers = Record<string, { state: PeerState; verified: { id: string; name: string; sector: string; role: string } | null }>;

/** Announces who I am and where my caret is. */
export function announce(editor: PresenceHost) {
  try {
    app.client.setPresence(editor.url, 'user', app.me);
  } catch {
    /* not open */
  }
  announceFocus(editor);
}

export function announceFocus(editor: PresenceHost) {
  const f = editor.focused;
  try {
    app.client.setPresence(editor.url, 'focus', f ? { field: f.key, anchor: f.anchor, head: f.head } : { field: null, anchor: null, head: null });
  } catch {
    /* not open */
  }
}

/** Who is here, in which field, and their carets. */
export function showPresence(editor: PresenceHost, people: HTMLElement, nameOf: (key: string) => string = (k) => fieldName(k, editor.url)) {
  const peers = app.client.peers(editor.url) as Peers;
  const byField = new Map<string, Caret[]>();
  const items: HTMLElement[] = [h('li', { class: 'me' }, dot(app.me.colour), `${app.me.name} (${t('you')})`)];
  for (const [, { state, verified }] of Object.entries(peers)) {
    // The server's word on who this is wins over what the peer claims.
    const claimed = state.user;
    if (!claimed && !verified) continue;
    const user = { name: verified?.name ?? claimed!.name, sector: verified?.sector ?? claimed?.sector ?? 'other', colour: claimed?.colour ?? '#555' };
    const role = verified?.role ? ` · ${t(`role.${verified.role as Role | 'admin'}`)}` : '';
    const focus = state.focus;
    const where = focus?.field ? `${t('inField')} ${nameOf(focus.field)}` : '';
    items.push(h('li', { class: 'peer', title: t(`sector.${user.sector as Sector}`) }, dot(user.colour), h('bdi', {}, user.name), role, where ? ` — ${where}` : ''));
    const tf = focus?.field ? editor.texts.get(focus.field) : undefined;
    if (tf && focus?.anchor && focus.head) {
      try {
        const anchor = tf.position(focus.anchor);
        const head = tf.position(focus.head);
        const list = byField.get(tf.key) ?? [];
        list.push({ name: user.name, colour: user.colour, anchor, head });
        byField.set(tf.key, list);
      } catch {
        /* a cursor from a text we do not have yet */
      }
    }
  }
  if (items.length === 1) items.push(h('li', { class: 'alone' }, t('alone')));
  people.replaceChildren(...items);
  for (const [k, tf] of editor.texts) tf.drawCarets(byField.get(k) ?? []);
}

/** "Title — French", "Activity 3 — Deliverable": a field's name for people. */
export function fieldName(key: string, url?: string): string {
  const p = key.split('/');
  if (p.length === 3 && (p[2] === 'text') && LANGS.includes(p[1] as Lang)) return `${label(p[0])} — ${label(`lang.${p[1]}`)}`;
  if (p[0] === 'revision' && p[1] === 'rationale') return `${label('revision.rationale')} — ${label(`lang.${p[2]}`)}`;
  if (p[0] === 'activities' || p[0] === 'indicators') {
    const item = p[0] === 'activities' ? 'activity' : 'indicator';
    const lang = LANGS.includes(p[3] as Lang) ? ` — ${label(`lang.${p[3]}`)}` : '';
    return `${label(item)} ${rowPlace(url, p[0], Number(p[1]))} — ${label(`${item}.${p[2]}`)}${lang}`;
  }
  if (p[0] === 'actors') return `${label('actors')} ${rowPlace(url, p[0], Number(p[1]))} — ${label(`actor.${p[2]}`)}`;
  if (p[0] === 'values') return `${label(`value.${p[1]}`)} — ${label('values.why')}`;
  if (p[0] === 'contacts') return `${label(`contacts.${p[1]}`)} — ${label(`contact.${p[2]}`)}`;
  return label(p.join('.'));
}

export function dot(colour: string): HTMLElement {
  return h('span', { class: 'dot', style: `background:${colour}`, 'aria-hidden': 'true' });
}
