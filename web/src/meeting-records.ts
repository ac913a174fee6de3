// A meeting's records, drawn from the server's view: attendance grouped
// by organisation (with the announcement of an absence, the server's
// sight of who was in the live page, the secretariat's confirmation),
// decisions (about a card: its exact version) and action items. Each form
// posts to the meetings API; the answer is the meeting as it now is.

import { app, CardJson } from './app';
import { api, GroupView } from './api';
import { h, uid } from './dom';
import { lang, t, UiKey } from './i18n';
import { labelled } from './fields';
import { when } from './review';
import { formatDate } from './app';
import { dateInput } from './date';
import type { Attendance, AttendanceRow, MeetingView } from './meetings-api';
import { titleOf } from './meetings';

export interface RecordsHost {
  url: string;
  view: MeetingView;
  /** Posts to `/api/meetings/<url><what>` and redraws with the answer. */
  act(what: string, body: unknown, msg: HTMLElement): Promise<boolean>;
}

const STATES: Attendance[] = ['present', 'present_remotely', 'excused', 'absent', 'invited'];

export function attendanceSection(host: RecordsHost): HTMLElement {
  const v = host.view;
  const msg = h('p', { class: 'error', role: 'alert' });
  const byOrg = new Map<string, AttendanceRow[]>();
  for (const r of v.attendance) {
    const list = byOrg.get(r.organisation) ?? [];
    list.push(r);
    byOrg.set(r.organisation, list);
  }
  const person = (r: AttendanceRow) => {
    const notes: string[] = [];
    if (r.excused_ms) notes.push(`${t('mt.excusedAt')} ${when(r.excused_ms)}`);
    if (r.seen_ms) notes.push(`${t('mt.seenAt')} ${when(r.seen_ms)}`);
    if (r.confirmed_by) notes.push(`${t('mt.confirmedBy')} ${r.confirmed_by}`);
    let control: HTMLElement | null = null;
    if (v.allowed.mark) {
      const sel = h('select', { id: uid(), class: 'set-attendance', 'data-key': r.key }, STATES.map((s) => h('option', { value: s }, t(`mt.att.${s}` as UiKey))));
      sel.value = r.attendance;
      sel.addEventListener('change', () => void host.act('/attendance', { key: r.key, attendance: sel.value }, msg));
      control = h('label', { class: 'sr-only', for: sel.id }, `${t('mt.setAttendance')} ${r.name}`);
      control = h('span', {}, control, sel);
    }
    return h('li', { class: 'attendee', 'data-key': r.key, 'data-attendance': r.attendance },
      h('bdi', { class: 'name' }, `${r.honorific} ${r.name}`.trim()),
      r.function ? h('span', { class: 'function' }, ` — ${r.function}`) : null,
      ' ', h('span', { class: 'badge att', 'data-state': r.attendance }, t(`mt.att.${r.attendance}` as UiKey)),
      notes.length ? h('span', { class: 'hint' }, ` (${notes.join(' · ')})`) : null,
      control);
  };
  const excuse = v.allowed.excuse ? h('button', { type: 'button', class: 'excuse' }, t('mt.excuse')) : null;
  excuse?.addEventListener('click', () => void host.act('/excuse', {}, msg));
  return h('section', { class: 'panel attendance', 'aria-labelledby': 'att-h' },
    h('h2', { id: 'att-h' }, t('mt.attendance')),
    excuse,
    [...byOrg].map(([org, rows]) => h('div', { class: 'org' }, h('h3', { dir: 'auto' }, org || '—'), h('ul', {}, rows.map(person)))),
    v.absent_organisations.length
      ? h('div', { class: 'absent-orgs' }, h('h3', {}, t('mt.absentOrgs')), h('ul', {}, v.absent_organisations.map((a) => h('li', { dir: 'auto' }, a.organisation))))
      : null,
    msg);
}

/** Cards the person can read, for a decision about one: `[url, label]`. */
export async function readableCards(): Promise<[string, string][]> {
  const groups = await api<GroupView[]>('GET', '/api/groups').catch(() => [] as GroupView[]);
  const urls = groups.flatMap((g) => g.documents.map((d) => d.id));
  await Promise.allSettled(urls.map((u) => app.client.open(u)));
  return urls.map((u) => {
    try {
      const c = app.client.read(u, []) as CardJson;
      const title = c?.title?.[lang()]?.text || c?.title?.ar?.text || c?.title?.fr?.text || '';
      return [u, `${c?.number ?? ''} ${title}`.trim() || u];
    } catch {
      return [u, u];
    }
  });
}

export function decisionsSection(host: RecordsHost, cards: [string, string][]): HTMLElement {
  const v = host.view;
  const msg = h('p', { class: 'error', role: 'alert' });
  const cardName = (u: string | null | undefined) => cards.find(([x]) => x === u)?.[1] ?? u ?? '';
  const list = h('ul', { class: 'decisions' }, v.decisions.map((d) => {
    const drop = v.allowed.record ? h('button', { type: 'button', class: 'link drop-decision' }, t('mt.dropDecision')) : null;
    drop?.addEventListener('click', () => void host.act(`/decisions/${d.id}/drop`, {}, msg));
    return h('li', { class: 'decision', 'data-kind': d.kind },
      h('span', { dir: 'auto' }, d.text), ' ',
      h('span', { class: 'badge' }, t(`mt.kind.${d.kind}` as UiKey)),
      d.card ? h('span', { class: 'hint decision-card' }, ` — ${cardName(d.card)} · ${t('mt.cardVersion')} ${d.card_heads.map((x) => x.slice(0, 8)).join(',')}`) : null,
      h('span', { class: 'hint' }, ` — ${d.by_name}, ${when(d.at_ms)}`),
      drop);
  }));
  if (!v.allowed.record) {
    return h('section', { class: 'panel', 'aria-labelledby': 'dec-h' }, h('h2', { id: 'dec-h' }, t('mt.decisions')), list);
  }
  const text = h('textarea', { id: uid(), rows: 2, dir: 'auto', class: 'decision-text' });
  const kind = h('select', { id: uid(), class: 'decision-kind' }, (['adopt', 'revise', 'keep', 'drop', 'other'] as const).map((k) => h('option', { value: k }, t(`mt.kind.${k}`))));
  const item = h('select', { id: uid(), class: 'decision-item' }, h('option', { value: '' }, '—'), v.plan.agenda.map((a, i) => h('option', { value: a.id }, `${i + 1}. ${titleOf(a.title)}`)));
  const card = h('select', { id: uid(), class: 'decision-card-select' }, h('option', { value: '' }, t('mt.noCard')), cards.map(([u, l]) => h('option', { value: u }, l)));
  const go = h('button', { type: 'submit' }, t('mt.record'));
  const form = h('form', { class: 'decision-form', novalidate: true },
    labelled(t('mt.decisionText'), text), labelled(t('mt.decisionKind'), kind),
    labelled(t('mt.agenda'), item), labelled(t('mt.aboutCard'), card), go);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.dataset.sending = '1';
    const ok = await host.act('/decisions', { text: text.value, kind: kind.value, item: item.value || null, card: card.value || null }, msg);
    delete form.dataset.sending;
    if (ok) text.value = '';
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'dec-h' }, h('h2', { id: 'dec-h' }, t('mt.decisions')), list, form, msg);
}

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function actionsSection(host: RecordsHost): HTMLElement {
  const v = host.view;
  const msg = h('p', { class: 'error', role: 'alert' });
  const me = app.account?.user.id;
  const list = h('ul', { class: 'actions' }, v.actions.map((a) => {
    const mine = a.owner.kind === 'person' && a.owner.user === me;
    const overdue = a.status === 'open' && !!a.due && a.due < today();
    const toggle = mine || v.allowed.record || (v.status === 'published' && v.allowed.correct)
      ? h('button', { type: 'button', class: 'link action-status' }, t(a.status === 'open' ? 'mt.markDone' : 'mt.reopen'))
      : null;
    toggle?.addEventListener('click', () => void host.act(`/actions/${a.id}/status`, { status: a.status === 'open' ? 'done' : 'open' }, msg));
    return h('li', { class: 'action', 'data-status': a.status },
      h('span', { dir: 'auto' }, a.text), ' — ', h('bdi', {}, a.owner.name),
      a.due ? ` — ${t('mt.due')} ${formatDate(a.due, lang())}` : '',
      ' ', h('span', { class: 'badge' }, t(a.status === 'done' ? 'mt.done' : 'mt.open')),
      overdue ? h('span', { class: 'badge todo overdue' }, t('mt.overdueBadge')) : null,
      toggle);
  }));
  if (!v.allowed.record) {
    return h('section', { class: 'panel', 'aria-labelledby': 'act-h' }, h('h2', { id: 'act-h' }, t('mt.actions')), list, msg);
  }
  const text = h('input', { id: uid(), type: 'text', dir: 'auto', class: 'action-text' });
  const people = v.attendance.filter((r) => r.user);
  const orgs = [...new Set(v.attendance.map((r) => r.organisation).filter((o) => o))];
  const owner = h('select', { id: uid(), class: 'action-owner' },
    people.map((r) => h('option', { value: `u:${r.user}` }, r.name)),
    orgs.map((o) => h('option', { value: `o:${o}` }, `${t('mt.ownerOrg')}: ${o}`)));
  const due = dateInput(t('mt.due'), { id: uid(), class: 'action-due' });
  const go = h('button', { type: 'submit' }, t('mt.record'));
  const form = h('form', { class: 'action-form', novalidate: true },
    labelled(t('mt.actionText'), text), labelled(t('mt.owner'), owner), labelled(t('mt.due'), due), go);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const o = owner.value;
    const body = {
      text: text.value,
      owner_user: o.startsWith('u:') ? o.slice(2) : null,
      owner_organisation: o.startsWith('o:') ? o.slice(2) : null,
      due: due.value || null,
    };
    form.dataset.sending = '1';
    const ok = await host.act('/actions', body, msg);
    delete form.dataset.sending;
    if (ok) text.value = '';
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'act-h' }, h('h2', { id: 'act-h' }, t('mt.actions')), list, form, msg);
}
