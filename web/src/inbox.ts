// The person's notifications: a bell in the header with the unread count
// (read again every minute and on each page), and the inbox page: what
// happened, by whom, when, with a link to the card. Every kind is worded
// here from its code, in the interface language.

import { api } from './api';
import type { Entry, InboxView, NoteKind, PrefsView } from './comments-api';
import { h } from './dom';
import { errorText } from './errors';
import { label, lang, LANGS, t, UiKey } from './i18n';
import { when } from './review';

let timer = 0;
/** The bell now in the header (the header is redrawn on a language change). */
let refresh: () => void = () => undefined;
window.addEventListener('hashchange', () => refresh());

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
  refresh = () => void update();
  refresh();
  clearInterval(timer);
  timer = window.setInterval(refresh, 60_000);
  return link;
}

function entry(e: Entry): HTMLElement {
  const what = t(`note.${e.kind}` as UiKey);
  const meeting = e.kind === 'meeting_invited' || e.kind === 'action_assigned';
  const link = e.doc
    ? h('a', { href: `#/${meeting ? 'meeting' : 'card'}/${encodeURIComponent(e.doc)}` }, t(meeting ? 'openMeeting' : 'openCard'))
    : null;
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
  const prefsEl = h('section', { class: 'panel email-prefs', 'aria-labelledby': 'prefs-title' });
  main.replaceChildren(h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, t('back'))), h('h1', {}, t('inbox')), all, msg, list, prefsEl);
  void showPrefs(prefsEl);
  try {
    draw(await api<InboxView>('GET', '/api/inbox'));
  } catch (e) {
    msg.textContent = errorText(e);
  }
  return () => undefined;
}

const KINDS: NoteKind[] = ['mentioned', 'replied', 'suggestion_accepted', 'suggestion_rejected', 'review_requested', 'approved', 'returned', 'invited', 'meeting_invited', 'action_assigned'];
const DELIVERIES = ['immediate', 'digest', 'off'] as const;

/** What reaches me by e-mail: per kind, at once, daily or never; in which language. */
async function showPrefs(el: HTMLElement) {
  const title = h('h2', { id: 'prefs-title' }, t('emailPrefs'));
  let v: PrefsView;
  try {
    v = await api<PrefsView>('GET', '/api/me/notifications');
  } catch (e) {
    el.replaceChildren(title, h('p', { class: 'error', role: 'alert' }, errorText(e)));
    return;
  }
  if (!v.email_configured) {
    el.replaceChildren(title, h('p', { class: 'hint' }, t('emailOff')));
    return;
  }
  const langSel = h('select', { 'aria-label': t('emailLang') }, LANGS.map((l) => h('option', { value: l }, label(`lang.${l}`))));
  langSel.value = v.lang ?? lang();
  const selects = KINDS.map((k) => {
    const s = h('select', { 'data-kind': k, 'aria-label': t(`note.${k}` as UiKey) },
      DELIVERIES.map((d) => h('option', { value: d }, t(`delivery.${d}` as UiKey))));
    s.value = v.email[k] ?? 'immediate';
    return s;
  });
  const status = h('p', { role: 'status' });
  const save = h('button', { type: 'submit' }, t('save'));
  const form = h('form', { novalidate: true }, h('label', {}, `${t('emailLang')} `, langSel),
    h('ul', { class: 'prefs' }, ...KINDS.map((k, i) => h('li', {}, h('span', {}, t(`note.${k}` as UiKey)), ' ', selects[i]))),
    save, status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const email = Object.fromEntries(KINDS.map((k, i) => [k, selects[i].value as (typeof DELIVERIES)[number]]));
    try {
      await api<PrefsView>('PUT', '/api/me/notifications', { lang: langSel.value, email });
      status.textContent = t('saved');
    } catch (x) {
      status.textContent = errorText(x);
    }
  });
  el.replaceChildren(title, form);
}
