// A meeting's live page (#/meeting/<url>): what it is (date, format, the
// video link), the agenda with its clock, the minutes drafted together —
// one live text per agenda item and the main outcomes, with presence and
// carets as in the card editor — the records (attendance, decisions,
// action items), the two-key approval of a version, published versions
// and corrections, and the minutes' export. While the meeting runs, being
// here tells the server this person is present remotely.

import { app, formatDate } from './app';
import { api } from './api';
import { h, replaceKeepingForms, uid } from './dom';
import { errorText } from './errors';
import { label, lang, LANGS, t, UiKey } from './i18n';
import { Bound, Host, TextField, labelled } from './fields';
import { undoControls } from './undo';
import { announce, announceFocus, showPresence } from './presence';
import { when } from './review';
import type { MeetingView } from './meetings-api';
import { titleOf } from './meetings';
import { RecordsHost, actionsSection, attendanceSection, decisionsSection, readableCards } from './meeting-records';

const REFRESH_MS = 4000;
const HERE_MS = 30000;

export class MeetingPage implements Host, RecordsHost {
  el: HTMLElement;
  view!: MeetingView;
  texts = new Map<string, TextField>();
  focused: TextField | null = null;
  private bound: Bound[] = [];
  private people = h('ul', { class: 'people', 'aria-live': 'polite' });
  private head = h('div', { class: 'meeting-head' });
  private records = h('div', { class: 'records' });
  private approval = h('div', { class: 'approval-host' });
  private clockEls = new Map<number, HTMLElement>();
  private cards: [string, string][] = [];
  private timers: number[] = [];
  private off: () => void = () => undefined;
  /** The server's clock minus this one's (the agenda clock runs on it). */
  private skew = 0;

  constructor(public url: string) {
    this.el = h('article', { class: 'meeting-page' });
  }

  async start(): Promise<void> {
    this.view = await api<MeetingView>('GET', this.path(''));
    this.skew = this.view.now_ms - Date.now();
    this.cards = await readableCards();
    this.render();
    this.off = app.on((e) => {
      if ((e.type === 'change' || e.type === 'refused') && e.url === this.url) for (const b of this.bound) b.refresh(app.client.read(this.url, b.path));
      if (e.type === 'presence' && e.url === this.url) this.drawPeople();
      if (e.type === 'me') announce(this);
    });
    announce(this);
    void this.here();
    this.timers.push(window.setInterval(() => void this.refresh(), REFRESH_MS));
    this.timers.push(window.setInterval(() => void this.here(), HERE_MS));
    this.timers.push(window.setInterval(() => this.tick(), 1000));
  }

  destroy() {
    this.off();
    for (const t of this.timers) clearInterval(t);
    try {
      app.client.setPresence(this.url, 'focus', { field: null, anchor: null, head: null });
    } catch {
      /* closed */
    }
  }

  private path(what: string): string {
    return `/api/meetings/${encodeURIComponent(this.url)}${what}`;
  }

  /** While the meeting runs, the server records me present remotely. */
  private async here() {
    if (this.view.status !== 'in_progress' || !this.view.me) return;
    const r = this.view.attendance.find((x) => x.key === this.view.me);
    if (r?.seen_ms) return;
    try {
      this.update(await api<MeetingView>('POST', this.path('/here'), {}));
    } catch {
      /* not running any more */
    }
  }

  private async refresh() {
    try {
      this.update(await api<MeetingView>('GET', this.path('')));
    } catch {
      /* offline: the next refresh */
    }
  }

  async act(what: string, body: unknown, msg: HTMLElement): Promise<boolean> {
    msg.textContent = '';
    try {
      this.update(await api<MeetingView>('POST', this.path(what), body));
      return true;
    } catch (e) {
      msg.textContent = errorText(e);
      return false;
    }
  }

  private update(v: MeetingView) {
    this.skew = v.now_ms - Date.now();
    const before = JSON.stringify({ ...this.view, now_ms: 0 });
    this.view = v;
    if (JSON.stringify({ ...v, now_ms: 0 }) !== before) this.drawRecords();
  }

  register(b: Bound) {
    this.bound.push(b);
    if (b instanceof TextField) this.texts.set(b.key, b);
  }

  focusMoved(field: TextField | null) {
    this.focused = field;
    announceFocus(this);
  }

  private itemName(key: string): string {
    const id = key.split('/')[1];
    const i = this.view.plan.agenda.findIndex((a) => a.id === id);
    return i >= 0 ? `${i + 1}. ${titleOf(this.view.plan.agenda[i].title)}` : t('mt.outcomes');
  }

  private drawPeople() {
    showPresence(this, this.people, (k) => this.itemName(k));
  }

  private render() {
    const v = this.view;
    const agenda = h('ol', { class: 'agenda' }, v.plan.agenda.map((a, i) => {
      const field = new TextField(this, ['items', a.id], `${t('mt.discussion')} — ${titleOf(a.title)}`, { rows: 4 });
      const clock = h('span', { class: 'item-clock', 'aria-live': 'off' });
      this.clockEls.set(i, clock);
      const discuss = h('button', { type: 'button', class: 'link discuss', 'data-index': i }, t('mt.discussTheItem'));
      const msg = h('p', { class: 'error', role: 'alert' });
      discuss.addEventListener('click', () => void this.act('/item', { index: i }, msg));
      const linked = [
        ...a.cards.map((u) => h('a', { href: `#/card/${encodeURIComponent(u)}`, class: 'linked-card' }, this.cards.find(([x]) => x === u)?.[1] ?? t('mt.card'))),
        ...a.proposals.map((c) => h('a', { href: `#/proposal/${c}`, class: 'linked-proposal', dir: 'ltr' }, c)),
      ];
      return h('li', { class: 'agenda-item', 'data-item': a.id },
        h('h3', { dir: 'auto' }, titleOf(a.title)),
        linked.length ? h('p', { class: 'linked' }, `${t('mt.linked')}: `, ...linked.flatMap((l, i) => (i ? [' · ', l] : [l]))) : '',
        h('p', { class: 'hint' }, `${a.presenter}${a.presenter ? ' · ' : ''}${a.start ? `${a.start} · ` : ''}${a.minutes} ′`, ' ', clock, ' ', discuss),
        field.wrap, msg);
    }));
    const outcomes = new TextField(this, ['outcomes'], t('mt.outcomes'), { rows: 4 });
    this.el.replaceChildren(
      h('nav', { class: 'crumbs' }, h('a', { href: `#/meetings/${encodeURIComponent(v.body)}` }, t('mt.back'))),
      this.head,
      h('div', { class: 'editor-grid' },
        h('div', { class: 'fields' },
          h('section', { class: 'panel', 'aria-labelledby': 'ag-h' }, h('h2', { id: 'ag-h' }, `${t('mt.agenda')} · ${t('mt.minutes')}`),
            v.allowed.record ? undoControls(this.el, this.url) : '', agenda),
          h('section', { class: 'panel', 'aria-labelledby': 'out-h' }, h('h2', { id: 'out-h' }, t('mt.outcomes')), outcomes.wrap),
          this.records),
        h('aside', { class: 'side' },
          h('section', { class: 'panel', 'aria-labelledby': 'sec-people' }, h('h2', { id: 'sec-people' }, t('here')), this.people),
          this.approval,
          this.exporter())));
    this.drawRecords();
    this.drawPeople();
  }

  private drawRecords() {
    const v = this.view;
    const msg = h('p', { class: 'error', role: 'alert' });
    const button = (key: UiKey, what: string, cls: string) => {
      const b = h('button', { type: 'button', class: cls }, t(key));
      b.addEventListener('click', () => void this.act(what, {}, msg));
      return b;
    };
    this.head.replaceChildren(
      h('h1', { dir: 'auto' }, titleOf(v.plan.title)),
      h('p', { class: 'meeting-when' },
        `${formatDate(v.plan.date, lang())} ${v.plan.time} · ${t(`mt.format.${v.plan.format}` as UiKey)} · `,
        h('span', { class: 'badge meeting-status', 'data-status': v.status }, t(`mt.status.${v.status}` as UiKey))),
      v.plan.link ? h('p', {}, h('a', { href: v.plan.link, target: '_blank', rel: 'noopener noreferrer', class: 'join' }, t('mt.join'))) : '',
      v.status === 'published' ? h('p', { class: 'notice', role: 'note' }, t('mt.lockedNotice')) : '',
      h('div', { class: 'buttons' },
        v.allowed.start ? button('mt.startMeeting', '/start', 'start-meeting') : null,
        v.allowed.end ? button('mt.endMeeting', '/end', 'end-meeting') : null),
      msg);
    const writable = v.allowed.record;
    for (const tf of this.texts.values()) tf.el.readOnly = !writable;
    for (const b of this.el.querySelectorAll<HTMLButtonElement>('button.discuss')) b.hidden = !v.allowed.clock || v.clock?.index === Number(b.dataset.index);
    for (const li of this.el.querySelectorAll<HTMLElement>('.agenda-item')) li.classList.toggle('current', v.clock !== null && v.clock !== undefined && v.plan.agenda[v.clock.index]?.id === li.dataset.item);
    replaceKeepingForms(this.records, attendanceSection(this), decisionsSection(this, this.cards), actionsSection(this));
    this.approval.replaceChildren(this.approvalPanel());
    this.tick();
  }

  /** The agenda clock: time spent on each item against its plan. */
  private tick() {
    const v = this.view;
    const now = Date.now() + this.skew;
    for (const [i, el] of this.clockEls) {
      let spent = v.clock?.spent_ms[i] ?? 0;
      if (v.clock && v.clock.index === i && v.status === 'in_progress') spent += Math.max(0, now - v.clock.since_ms);
      const min = Math.floor(spent / 60000);
      const planned = v.plan.agenda[i]?.minutes ?? 0;
      el.textContent = spent > 0 ? `${t('mt.spent')} ${min}′ / ${t('mt.planned')} ${planned}′` : '';
      el.classList.toggle('over', min > planned);
    }
  }

  private approvalPanel(): HTMLElement {
    const v = this.view;
    const msg = h('p', { class: 'error', role: 'alert' });
    const approve = v.allowed.approve ? h('button', { type: 'button', class: 'approve-minutes' }, t('mt.approve')) : null;
    approve?.addEventListener('click', () => {
      let heads: string[] = v.heads;
      try {
        heads = app.client.heads(this.url) as string[];
      } catch {
        /* not open: the server's */
      }
      void this.act('/approve', { heads, rev: v.rev }, msg);
    });
    const withdraw = v.allowed.withdraw ? h('button', { type: 'button', class: 'link withdraw-minutes' }, t('withdraw')) : null;
    withdraw?.addEventListener('click', () => void this.act('/withdraw', {}, msg));
    const reason = h('input', { id: uid(), type: 'text', class: 'correction-reason', dir: 'auto' });
    const correct = h('button', { type: 'button', class: 'correct' }, t('mt.correct'));
    correct.addEventListener('click', () => void this.act('/correction', { reason: reason.value }, msg));
    return h('section', { class: 'panel minutes-approval', 'aria-labelledby': 'apv-h' },
      h('h2', { id: 'apv-h' }, t('mt.approval')),
      h('p', { class: 'hint' }, t('mt.approveHint')),
      v.approvals.length
        ? h('ul', { class: 'approvals' }, v.approvals.map((a) => h('li', { class: a.standing ? 'standing' : 'stale' },
          h('bdi', {}, a.by_name), ` (${t(`sector.${a.sector}`)}) ${t('approved')} ${when(a.at_ms)} — `,
          a.standing ? t('standing') : t('withdrawnByChange'))))
        : h('p', { class: 'empty' }, t('noApprovals')),
      h('div', { class: 'buttons' }, approve, withdraw),
      v.versions.length
        ? h('div', {}, h('h3', {}, t('mt.versions')), h('ul', { class: 'versions' }, v.versions.map((x) => h('li', {},
          `${t('mt.version')} ${x.version} — ${when(x.at_ms)} — ${x.approvals.map((a) => a.by_name).join(' · ')}`,
          x.corrected ? h('span', { class: 'hint' }, ` — ${t('mt.correctedBecause')} ${x.corrected}`) : null))))
        : null,
      v.allowed.correct ? h('div', { class: 'correction' }, labelled(t('mt.correctionReason'), reason), correct) : null,
      msg);
  }

  private exporter(): HTMLElement {
    const sel = h('select', { id: uid(), class: 'export-lang' }, LANGS.map((l) => h('option', { value: l }, label(`lang.${l}`))));
    sel.value = lang();
    const version = h('select', { id: uid(), class: 'export-version' });
    const fill = () => version.replaceChildren(h('option', { value: '' }, t('mt.current')),
      ...this.view.versions.map((x) => h('option', { value: String(x.version) }, `${t('mt.version')} ${x.version}`)));
    fill();
    version.addEventListener('focus', fill);
    const msg = h('p', { class: 'error', role: 'alert' });
    const get = async (format: 'md' | 'html') => {
      const q = `?lang=${sel.value}&format=${format}${version.value ? `&version=${version.value}` : ''}`;
      const res = await fetch(this.path(`/minutes${q}`), { credentials: 'same-origin' });
      if (!res.ok) throw new Error(res.statusText);
      return res.text();
    };
    const md = h('button', { type: 'button', class: 'export-md' }, t('markdown'));
    md.addEventListener('click', async () => {
      try {
        const text = await get('md');
        const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' })), download: `minutes-${this.view.plan.date}.${sel.value}.md` });
        document.body.append(a);
        a.click();
        a.remove();
      } catch (e) {
        msg.textContent = errorText(e);
      }
    });
    const print = h('button', { type: 'button', class: 'export-print' }, t('print'));
    print.addEventListener('click', async () => {
      try {
        const page = await get('html');
        window.open(URL.createObjectURL(new Blob([page], { type: 'text/html;charset=utf-8' })), '_blank');
      } catch (e) {
        msg.textContent = errorText(e);
      }
    });
    return h('section', { class: 'panel', 'aria-labelledby': 'mexp-h' },
      h('h2', { id: 'mexp-h' }, t('mt.export')),
      labelled(t('exportLang'), sel), labelled(t('mt.exportVersion'), version),
      h('div', { class: 'buttons' }, md, print), msg);
  }
}

export async function showMeeting(main: HTMLElement, url: string): Promise<(() => void) | null> {
  try {
    await app.client.open(url);
    const page = new MeetingPage(url);
    await page.start();
    main.append(page.el);
    return () => page.destroy();
  } catch (e) {
    main.append(h('p', { class: 'error', role: 'alert' }, errorText(e)), h('a', { href: '#/' }, t('back')));
    return null;
  }
}
