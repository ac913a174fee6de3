// The person's notifications: a bell in the header with the unread count
// (read again every minute and on each page), and the inbox page: what
// happened, by whom, when, with a link to the card. Every kind is worded
// here from its code, in the interface language.

import { api } from './api';
import type { Entry, InboxView } from './comments-api';
import { h } from './dom';
import { errorText } from './errors';
import { t, UiKey } from './i18n';
import { when } from './review';

let timer = 0;

/** The header's bell: refreshed now and every minute. */
export function bell(): HTMLElement {
  const count = h('span', { class: 'unread-count' });
  const link = h('a', { href: '#/inbox', class: 'bell', 'aria-label': t('inbox') }, `${t('inbox')} `, count);
  const update = async () => {
    try {
      const v = await api<InboxView>('GET', '/api/inbox');
      count.textContent = v.unread > 0 ? String(v.unread) : '';
      link.setAttribute('aria-label', v.unread > 0 ? `${t('inbox')}: ${v.unread} ${t('unread')}` : t('inbox'));
    } catch {
      /* signed out or offline: the bell waits */
    }
  };
  void update();
  clearInterval(timer);
  timer = window.setInterval(() => void update(), 60_000);
  window.addEventListener('hashchange', () => void update());
  return link;
}

function entry(e: Entry): HTMLElement {
  const what = t(`note.${e.kind}` as UiKey);
  const link = e.doc ? h('a', { href: `#/card/${encodeURIComponent(e.doc)}` }, t('openCard')) : null;
  return h('li', { class: `note ${e.read ? 'read' : 'unread'}`, 'data-kind': e.kind },
    h('p', {}, h('bdi', { class: 'author' }, e.by_name), ` ${what}`, e.read ? '' : h('span', { class: 'badge' }, t('unread'))),
    e.excerpt ? h('blockquote', { dir: 'auto' }, e.excerpt) : null,
    h('p', { class: 'meta' }, when(e.time_ms), ' ', link));
}

export async function showInbox(main: HTMLElement): Promise<() => void> {
  const list = h('ul', { class: 'inbox' });
  const msg = h('p', { class: 'error', role: 'alert' });
  const all = h('button', { type: 'button' }, t('markAllRead'));
  const draw = (v: InboxView) => {
    list.replaceChildren(...(v.entries.length ? v.entries.map(entry) : [h('li', { class: 'empty' }, t('noNotes'))]));
    all.disabled = v.unread === 0;
  };
  all.addEventListener('click', async () => {
    try {
      draw(await api<InboxView>('POST', '/api/inbox/read', {}));
      document.querySelectorAll('.unread-count').forEach((c) => (c.textContent = ''));
    } catch (e) {
      msg.textContent = errorText(e);
    }
  });
  main.replaceChildren(h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, t('back'))), h('h1', {}, t('inbox')), all, msg, list);
  try {
    draw(await api<InboxView>('GET', '/api/inbox'));
  } catch (e) {
    msg.textContent = errorText(e);
  }
  return () => undefined;
}
