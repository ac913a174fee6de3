// The review panel of a card: its stage as the server records it, who
// approved which version, the buttons each person may use (approve,
// withdraw, move the card on, name a version, mark reviewed), what is new
// since my last review, named versions, the history of edit sessions and
// who wrote which share of the text. Everything here comes from the
// server's review API; nothing is written into the shared document.

import { app, formatDate } from './app';
import { api } from './api';
import type { Done, HistoryPage, ReviewEvent, ReviewView, Session, Shares, Stage } from './review-api';
import { h, uid } from './dom';
import { colourOf, showDiff } from './diffview';
import { errorText } from './errors';
import { label, lang, t, UiKey } from './i18n';

/** A time in the interface's form: the date as Morocco writes it, then hh:mm. */
export function when(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${formatDate(iso, lang())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const SECTORS = ['administration', 'civil_society', 'academia', 'other'] as const;

export interface ReviewHost {
  url: string;
  /** Where differences are drawn (above the fields). */
  diffEl: HTMLElement;
  /** The card is locked (adopted or published) or open again. */
  setLocked(locked: boolean): void;
}

export class ReviewPanel {
  el: HTMLElement;
  view: ReviewView | null = null;
  private body: HTMLElement;
  private timer = 0;
  private off: () => void;
  /** The sector shares, read when the panel opens or after an action (not
   *  on every burst of typing: they read the whole text). */
  private shares: Shares | null = null;

  constructor(private host: ReviewHost) {
    this.body = h('div', { class: 'review-body' });
    this.el = h('section', { class: 'panel review', 'aria-labelledby': 'sec-review' },
      h('h2', { id: 'sec-review' }, t('review')), this.body);
    // Content changes move approvals and counts: refresh soon after.
    this.off = app.on((e) => {
      if (e.type === 'change' && e.url === host.url) this.refreshSoon(1200);
    });
  }

  destroy() {
    this.off();
    clearTimeout(this.timer);
  }

  refreshSoon(ms: number) {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.refresh(false), ms);
  }

  private path(what: string) {
    return `/api/documents/${encodeURIComponent(this.host.url)}/${what}`;
  }

  async refresh(withShares = true): Promise<void> {
    let view: ReviewView, history: HistoryPage, shares: Shares;
    try {
      [view, history, shares] = await Promise.all([
        api<ReviewView>('GET', this.path('review')),
        api<HistoryPage>('GET', this.path('history?limit=10')),
        withShares || !this.shares ? api<Shares>('GET', this.path('shares')) : Promise.resolve(this.shares),
      ]);
      this.shares = shares;
    } catch (e) {
      this.body.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    this.view = view;
    this.host.setLocked(view.stage === 'adopted' || view.stage === 'published');
    this.render(view, history, shares);
    document.querySelectorAll<HTMLElement>('[data-stage-badge]').forEach((b) => {
      b.textContent = t(`stage.${view.stage}` as UiKey);
      b.dataset.stage = view.stage;
    });
    this.drawTextStatus(view);
  }

  /** Runs an action, shows its refusal in the interface language, refreshes. */
  private async act(button: HTMLButtonElement, msg: HTMLElement, method: string, what: string, body?: unknown) {
    button.disabled = true;
    msg.textContent = '';
    try {
      await api<Done>(method, this.path(what), body);
      await this.refresh();
    } catch (e) {
      msg.textContent = errorText(e);
      button.disabled = false;
    }
  }

  private diff(from: string, title: string) {
    void showDiff(this.host.diffEl, {
      url: this.host.url,
      from,
      title,
      restore: this.view?.allowed.restore ?? false,
      done: () => {
        this.host.diffEl.replaceChildren();
        void this.refresh();
      },
    });
  }

  private render(v: ReviewView, history: HistoryPage, shares: Shares) {
    const msg = h('p', { class: 'error', role: 'alert' });
    const me = app.account!.user.id;
    const stage = h('p', { class: 'stage-line' }, `${t('stage')}: `,
      h('span', { class: 'badge stage', 'data-stage': v.stage }, t(`stage.${v.stage}` as UiKey)));
    const missing = v.missing > 0 && v.stage === 'group_review'
      ? h('p', { class: 'hint' }, `${v.missing} ${t('missingRequired')}`) : null;
    const approvals = h('ul', { class: 'approvals' },
      v.approvals.length === 0 ? h('li', { class: 'hint' }, t('noApprovals')) : null,
      v.approvals.map((a) => {
        const since = a.by === me && !a.standing ? this.link(t('sinceApproval'), () => this.diff('approval', t('sinceApproval'))) : null;
        return h('li', { class: a.standing ? 'standing' : 'withdrawn', 'data-by': a.by_name },
          h('bdi', {}, a.by_name), ` (${t(`sector.${a.sector}` as UiKey)}) ${t('approved')} · ${when(a.at_ms)} · `,
          a.standing ? t('standing') : t('withdrawnByChange'), since ? ' ' : null, since);
      }));
    const buttons = h('div', { class: 'buttons review-actions' });
    const button = (text: string, cls: string, run: (b: HTMLButtonElement) => void) => {
      const b = h('button', { type: 'button', class: cls }, text);
      b.addEventListener('click', () => run(b));
      buttons.append(b);
    };
    if (v.allowed.approve) button(t('approve'), 'approve', (b) => void this.act(b, msg, 'POST', 'approve', { heads: v.heads }));
    if (v.allowed.withdraw) button(t('withdraw'), 'withdraw', (b) => void this.act(b, msg, 'POST', 'withdraw'));
    const reason = h('textarea', { id: uid(), rows: 2, class: 'reason', dir: 'auto' });
    for (const to of v.allowed.transitions as Stage[]) {
      button(t(`to.${to}` as UiKey), `to-${to}`, (b) => {
        if (to === 'draft' && !reason.value.trim()) {
          reasonBox.hidden = false;
          reason.focus();
          return;
        }
        void this.act(b, msg, 'POST', 'transition', { to, reason: to === 'draft' ? reason.value : null });
      });
    }
    const reasonBox = h('div', { class: 'row reason-box', hidden: true }, h('label', { for: reason.id }, t('reason')), reason);
    const review = h('div', { class: 'since-review' },
      this.link(t('mt.sinceMeeting'), () => this.diff('meeting', t('mt.sinceMeeting'))));
    if (v.allowed.mark_reviewed) {
      review.append(
        h('p', {}, h('strong', { class: 'new-sessions' }, String(v.new_sessions)), ` ${t('newSessions')}`),
        this.link(t('sinceReview'), () => this.diff('reviewed', t('sinceReview'))));
      const mark = h('button', { type: 'button', class: 'mark-reviewed' }, t('markReviewed'));
      mark.addEventListener('click', () => void this.act(mark, msg, 'POST', 'reviewed'));
      review.append(mark);
    }
    this.body.replaceChildren(stage, missing ?? '', h('h3', {}, t('approvals')), approvals, buttons, reasonBox, msg, review,
      this.versions(v, msg), this.transitions(v), this.history(history), this.evidence(shares));
  }

  private link(text: string, run: () => void): HTMLElement {
    const b = h('button', { type: 'button', class: 'link' }, text);
    b.addEventListener('click', run);
    return b;
  }

  private versions(v: ReviewView, msg: HTMLElement): HTMLElement {
    const list = h('ul', { class: 'versions' },
      v.versions.length === 0 ? h('li', { class: 'hint' }, t('noVersions')) : null,
      v.versions.map((e: ReviewEvent) => {
        if (e.event !== 'version') return null;
        const md = h('a', { href: `${this.path('export')}?at=version:${e.id}&format=md&lang=${lang()}`, download: `${e.name}.md` }, t('markdown'));
        const page = h('a', { href: `${this.path('export')}?at=version:${e.id}&format=html&lang=${lang()}`, target: '_blank' }, t('print'));
        return h('li', { 'data-version': e.id }, h('bdi', {}, e.name), ` — ${e.by_name} · ${when(e.at_ms)} `,
          this.link(t('sinceVersion'), () => this.diff(`version:${e.id}`, `${t('sinceVersion')} « ${e.name} »`)), ' · ', md, ' · ', page);
      }));
    const box = h('div', { class: 'versions-box' }, h('h3', {}, t('versions')), list);
    if (v.allowed.name_version) {
      const name = h('input', { id: uid(), type: 'text', maxlength: 200, dir: 'auto', class: 'version-name' });
      const save = h('button', { type: 'button', class: 'name-version' }, t('nameVersion'));
      save.addEventListener('click', () => {
        if (name.value.trim()) void this.act(save, msg, 'POST', 'versions', { name: name.value });
      });
      box.append(h('div', { class: 'row' }, h('label', { for: name.id }, t('versionName')), name), save);
    }
    return box;
  }

  private transitions(v: ReviewView): HTMLElement {
    return h('div', {}, h('h3', {}, t('transitions')), h('ol', { class: 'transitions' },
      v.transitions.map((e: ReviewEvent) => e.event !== 'transition' ? null
        : h('li', {}, `${t(`stage.${e.to}` as UiKey)} — `, h('bdi', {}, e.by_name), ` · ${when(e.at_ms)}`,
          e.reason ? h('q', { dir: 'auto' }, e.reason) : null))));
  }

  private history(page: HistoryPage): HTMLElement {
    const list = h('ol', { class: 'history' });
    const add = (sessions: Session[]) => {
      for (const s of sessions) {
        const c = colourOf(s.user);
        const sections = s.sections.map((x) => label(x)).join('، ');
        const langs = s.langs.map((l) => label(`lang.${l}`)).join(' · ');
        const item = h('li', { class: 'session', 'data-user': s.user_name },
          h('span', { class: 'dot', style: `background:${c}`, 'aria-hidden': 'true' }),
          h('bdi', { class: 'who' }, s.user_name), ` (${t(`sector.${s.sector}` as UiKey)}) · ${when(s.from_ms)}`,
          // A suggestion applied: the words are the suggester's, accepted by
          // a co-coordinator.
          s.accepted_by ? h('span', { class: 'accepted-by', 'data-by': s.accepted_by.name }, ` · ${t('acceptedBy')} `, h('bdi', {}, s.accepted_by.name)) : '',
          s.to_ms - s.from_ms > 60000 ? ` → ${when(s.to_ms)}` : '', h('br', {}),
          `${sections}${langs ? ` (${langs})` : ''} · +${s.added} −${s.removed} · ${s.changes} ${t('changes')} `,
          this.link(t('diffTitle'), () => this.diff(`before:${s.first_change}`, `${s.user_name} · ${when(s.from_ms)}`)));
        list.append(item);
      }
    };
    add(page.sessions);
    const box = h('div', { class: 'history-box' }, h('h3', {}, t('history')), list);
    if (page.sessions.length === 0) list.append(h('li', { class: 'hint' }, t('noHistory')));
    let next = page.next ?? null;
    if (next) {
      const more = h('button', { type: 'button', class: 'more' }, t('more'));
      more.addEventListener('click', async () => {
        const p = await api<HistoryPage>('GET', this.path(`history?limit=10&before=${encodeURIComponent(next!)}`));
        add(p.sessions);
        next = p.next ?? null;
        if (!next) more.remove();
      });
      box.append(more);
    }
    return box;
  }

  private evidence(shares: Shares): HTMLElement {
    const rows = Object.entries(shares).map(([section, m]) => {
      const total = Object.values(m).reduce((a, b) => a + b, 0) || 1;
      return h('tr', {}, h('th', { scope: 'row' }, label(section)),
        SECTORS.map((s) => h('td', {}, h('bdi', {}, `${Math.round(((m[s] ?? 0) + (s === 'other' ? m.unknown ?? 0 : 0)) * 100 / total)}%`))));
    });
    return h('div', { class: 'evidence' }, h('h3', {}, t('evidence')),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, label('shares.section')), SECTORS.map((s) => h('th', { scope: 'col' }, t(`sector.${s}` as UiKey))))),
        h('tbody', {}, rows)));
  }

  /** Each language's status beside its text, from the server's record. */
  private drawTextStatus(v: ReviewView) {
    document.querySelectorAll<HTMLElement>('.text-status[data-field]').forEach((el) => {
      const field = el.dataset.field!;
      const s = v.text_status.find((x) => x.field === field);
      const status = s?.status ?? 'draft';
      const flag = s && status === 'validated' ? (s.changed ? 'changed' : s.recheck ? 'recheck' : null) : null;
      const items: (HTMLElement | string)[] = [h('span', { class: `badge text-${status}` }, t(`text.${status}` as UiKey))];
      if (flag) items.push(h('span', { class: `badge text-${flag}` }, t(`text.${flag}` as UiKey)));
      if (v.allowed.set_text_status) {
        const b = h('button', { type: 'button', class: 'link set-status' }, status === 'validated' && !flag ? t('unvalidateText') : t('validateText'));
        const msg = h('span', { class: 'error', role: 'alert' });
        const next = status === 'validated' && !flag ? 'draft' : 'validated';
        b.addEventListener('click', () => void this.act(b, msg, 'POST', 'text-status', { field, status: next }));
        items.push(b, msg);
      }
      el.replaceChildren(...items);
    });
  }
}
