// The card editor: every field of a commitment card, live. The layout
// comes from the schema's one description of the fields (`layout.ts`);
// tables, presence, completeness and export have their own modules. This
// class holds the bindings (path → controls) and applies remote patches.

import { app, CardJson, Patch, Path, pathKey } from './app';
import { h, uid } from './dom';
import { label, lang, t, LANGS, Lang, TAGS } from './i18n';
import type { TextBox } from './textbox';
import { Bound, Host, TextField, checkField } from './fields';
import { panels } from './layout';
import { Tables } from './tables';
import { announce, announceFocus, showPresence } from './presence';
import { showIssues } from './completeness';
import { exporter } from './export';
import { ReviewPanel, ReviewHost } from './review';
import { CommentsHost, CommentsPanel, Selection, fieldOf } from './comments';
import { cardProposals } from './card-proposals';
import { jumpBar } from './jump';
import { undoControls } from './undo';
import { syncErrorText } from './errors';
import { Draft } from './draft';
import { moved } from './chars';

export class CardEditor implements Host, ReviewHost, CommentsHost {
  el: HTMLElement;
  /** Every bound control, by path key. */
  bound = new Map<string, Bound[]>();
  /** The text fields, by path key (for carets). */
  texts = new Map<string, TextField>();
  tables: Tables;
  /** The text field this page types in, if any. */
  focused: TextField | null = null;
  private people: HTMLElement;
  private issuesEl: HTMLElement;
  private off: () => void;
  private validateTimer = 0;
  /** Where the review panel draws differences (above the fields). */
  diffEl: HTMLElement;
  review: ReviewPanel;
  comments: CommentsPanel;
  /** The last passage chosen in a text field (what a comment is about). */
  selection: Selection | null = null;
  /** The last text field focused (a comment without a passage is about it). */
  lastField: string | null = null;
  /** Past validation the text is locked for everyone. */
  private locked = false;
  readOnly: boolean;

  constructor(public url: string, private observer = false, private role: string | null = null) {
    this.readOnly = observer;
    this.people = h('ul', { class: 'people', 'aria-live': 'polite' });
    this.issuesEl = h('div', { class: 'issues' });
    this.el = h('article', { class: 'card-editor' });
    this.diffEl = h('div', { class: 'diff-host' });
    this.tables = new Tables(this);
    this.review = new ReviewPanel(this);
    this.comments = new CommentsPanel(this);
    this.render();
    if (!this.drafting()) this.started();
    this.off = app.on((e) => {
      if (e.type === 'change' && e.url === url) this.apply(e.patches);
      // Refused changes were dropped: draw the card as the server has it,
      // and say why, in the interface language.
      if (e.type === 'refused' && e.url === url) {
        this.render();
        this.el.querySelector('.card-title')?.after(h('p', { class: 'error refused', role: 'alert' }, `${t('refused')} ${syncErrorText(e.message)}`));
      }
      if (e.type === 'presence' && e.url === url) showPresence(this, this.people);
      if (e.type === 'me') announce(this);
    });
  }

  /** Drawn from the server's copy while the live client comes (draft.ts):
   *  only the text fields take typing. */
  drafting(): boolean {
    return app.client instanceof Draft;
  }

  /** What a live editor asks of the server and the peers when it starts. */
  private started() {
    void this.review.refresh();
    void this.comments.refresh();
    announce(this);
  }

  /** The live client has the card now (and what was typed in the draft):
   *  drawn again live, the focus and selection kept where they were. */
  goLive() {
    const focused = this.focused;
    if (focused?.inComposition) {
      // Not in the middle of a word being composed (an input method).
      focused.el.addEventListener('compositionend', () => setTimeout(() => this.goLive()), { once: true });
      return;
    }
    const at = focused && this.el.contains(focused.el)
      ? { path: focused.key, text: focused.el.value, start: focused.el.selectionStart, end: focused.el.selectionEnd }
      : null;
    this.render();
    this.started();
    const el = at && this.el.querySelector(`.fields codraft-text[data-path="${CSS.escape(at.path)}"], tbody codraft-text[data-path="${CSS.escape(at.path)}"]`) as TextBox | null;
    if (at && el) {
      el.focus();
      el.setSelectionRange(moved(at.text, el.value, at.start), moved(at.text, el.value, at.end));
    }
  }

  /** The server says the card is (or is no longer) locked. */
  setLocked(locked: boolean) {
    if (locked === this.locked) return;
    this.locked = locked;
    this.readOnly = this.observer || locked;
    this.render();
    this.comments.redraw();
    this.comments.refreshSoon(0);
  }

  canSuggest(): boolean {
    return !this.observer && !this.locked;
  }

  coordinator(): boolean {
    return app.account?.user.admin === true || this.role === 'co_coordinator';
  }

  destroy() {
    this.review.destroy();
    this.comments.destroy();
    this.off();
    try {
      app.client.setPresence(this.url, 'focus', { field: null, anchor: null, head: null });
    } catch {
      /* closed */
    }
  }

  register(b: Bound) {
    const list = this.bound.get(b.key) ?? [];
    list.push(b);
    this.bound.set(b.key, list);
    if (b instanceof TextField) this.texts.set(b.key, b);
  }

  /** Drops the bindings below a path prefix (a table's old rows). */
  forget(prefix: string) {
    for (const k of [...this.bound.keys()]) {
      if (k.startsWith(prefix)) {
        this.bound.delete(k);
        this.texts.delete(k);
      }
    }
  }

  private render() {
    this.bound.clear();
    this.texts.clear();
    this.tables.clear();
    // The heading runs in the interface's direction; the number and the
    // title are isolated, so "MO0054 —" stands first (on the right in Arabic).
    const title = h('h1', { class: 'card-title' });
    const setTitle = () => {
      const tt = app.client.read(this.url, ['title']) as CardJson['title'];
      const best = tt?.[lang()]?.text || tt?.ar?.text || tt?.fr?.text || t('untitled');
      const num = app.client.read(this.url, ['number']);
      const named = h('bdi', {}, best);
      title.replaceChildren(...(num ? [h('bdi', { class: 'card-number' }, String(num)), ' — ', named] : [named]));
    };
    setTitle();
    this.register({ path: ['title'], key: 'title', focusable: title, refresh: setTitle });
    this.register({ path: ['number'], key: 'number#title', focusable: title, refresh: setTitle });
    const drafting = this.drafting();
    const side = drafting ? h('aside', { class: 'side' }, h('p', { class: 'loading draft-note', role: 'status' }, t('draftNote'))) : h('aside', { class: 'side' },
      h('section', { class: 'panel', 'aria-labelledby': 'sec-people' },
        h('h2', { id: 'sec-people' }, t('here')), this.people),
      h('section', { class: 'panel', 'aria-labelledby': 'sec-issues' },
        h('h2', { id: 'sec-issues' }, t('completeness')), this.issuesEl),
      this.review.el,
      this.comments.el,
      cardProposals(this.url),
      exporter(this.url, () => this.review.view?.stage ?? 'draft'),
    );
    this.el.replaceChildren(
      h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, t('back'))),
      title,
      h('div', { class: 'editor-grid' }, h('div', { class: 'fields' }, this.diffEl, ...panels(this)), side),
    );
    if (drafting) this.lock(this.el);
    if (this.readOnly) {
      this.lock(this.el);
      this.el.querySelector('.card-title')?.after(h('p', { class: 'notice', role: 'note' }, t(this.locked ? 'locked' : 'readOnly')));
    }
    this.el.querySelector('.card-title')?.after(jumpBar(this.el, this.url));
    if (drafting) return;
    if (!this.readOnly) this.el.querySelector('.card-jump')?.append(undoControls(this.el, this.url));
    this.validateSoon(0);
    showPresence(this, this.people);
    this.comments.drawFields();
  }

  /** Observers read: every control is read-only (the server would refuse
   * their changes anyway). A draft takes text only: rows, choices, dates
   * and ticks wait for the live client. */
  lock(root: HTMLElement) {
    const drafting = this.drafting();
    if (!this.readOnly && !drafting) return;
    // The card's own controls only: comments stay open to every reader.
    if (this.readOnly) root.querySelectorAll<TextBox>('.fields codraft-text, tbody codraft-text').forEach((el) => (el.readOnly = true));
    root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('.fields input, .fields select, .fields button:not(.for-readers), tbody input, tbody select, tbody button:not(.for-readers)')
      .forEach((el) => (el.disabled = true));
  }

  text(path: Path, name: string, rows = 1, lang?: string): TextField {
    return new TextField(this, path, name, { rows, lang });
  }

  /** A text in the three languages, each with its status. */
  multi(section: string, rows: number): HTMLElement {
    const base = section.split('/');
    const name = label(base.join('.'));
    const fs = h('fieldset', { class: 'multi', 'data-path': base.join('/') }, h('legend', {}, name));
    for (const l of LANGS as Lang[]) {
      const f = this.text([...base, l, 'text'], `${name} — ${label(`lang.${l}`)}`, rows, TAGS[l]);
      // The status is the server's record (set by a co-coordinator in the
      // review panel), drawn here by it.
      const status = h('span', { class: 'text-status', 'data-field': `${base.join('/')}/${l}` });
      let extra: HTMLElement | null = null;
      if (l === 'zgh') {
        const help = uid('help');
        const box = h('input', { type: 'checkbox', 'aria-describedby': help });
        box.addEventListener('change', () => {
          f.translit = box.checked;
          f.el.focus();
        });
        extra = h('div', { class: 'translit' }, h('label', { class: 'check' }, box, t('translit')), h('p', { id: help, class: 'hint' }, t('translitHelp')));
      }
      const id = uid();
      f.el.id = id;
      f.el.removeAttribute('aria-label');
      fs.append(h('div', { class: `lang-row lang-${l}` },
        h('label', { for: id }, label(`lang.${l}`)), f.wrap, status, extra));
    }
    return fs;
  }

  /** The OGP values, each ticked with its justification. */
  values(): HTMLElement {
    const fs = h('fieldset', { class: 'values', 'data-path': 'values' }, h('legend', {}, label('values')));
    for (const v of app.choices.values) {
      const box = checkField(this, ['values', v, 'on']);
      const why = this.text(['values', v, 'why'], `${label(`value.${v}`)} — ${label('values.why')}`, 1);
      fs.append(h('div', { class: 'value' }, h('label', { class: 'check' }, box, label(`value.${v}`)), why.wrap));
    }
    return fs;
  }

  /** A choice shown as radio buttons (the revision decision). */
  decision(path: Path, options: [string, string][]): HTMLElement {
    const key = pathKey(path);
    const name = `choice-${uid()}`;
    const title = label(path.join('.'));
    const radios = options.map(([v, l]) => {
      const r = h('input', { type: 'radio', name, value: v });
      r.addEventListener('change', () => app.client.put(this.url, path.slice(0, -1), String(path[path.length - 1]), v));
      return { r, el: h('label', { class: 'check' }, r, l) };
    });
    const set = (v: unknown) => radios.forEach(({ r }) => (r.checked = r.value === v));
    set(app.client.read(this.url, path));
    this.register({ path, key, focusable: radios[0].r, refresh: set });
    return h('div', { class: 'decision', role: 'radiogroup', 'aria-label': title, 'data-path': key },
      h('span', { class: 'radiogroup-label' }, title), ...radios.map((x) => x.el));
  }

  /** Remote (and other-tab) changes, as patches. */
  private apply(patches: Patch[]) {
    const dirty = new Set<Bound>();
    const lists = new Set<string>();
    let splices = 0;
    for (const p of patches) {
      const top = String(p.path[0]);
      // A row added, removed, replaced or moved (its order key), or the
      // whole list replaced.
      const rows = this.tables.has(top)
        && (p.path.length <= 2 || Number(p.path[1]) >= this.tables.count(top) || p.path[2] === 'order');
      if (rows) {
        lists.add(top);
        continue;
      }
      const key = pathKey(p.path);
      // A text's splice goes into its fields where it lands (a keystroke
      // into a long text costs the keystroke); a field that cannot take it
      // reads the whole value below, as every other control does.
      const spliced = new Set<Bound>();
      if (p.action === 'splice') {
        for (const b of this.bound.get(key) ?? []) {
          if (!dirty.has(b) && b.splice?.(p.index ?? 0, p.remove ?? 0, p.insert ?? '', p.length ?? -1)) spliced.add(b);
        }
        splices += spliced.size;
      }
      for (const [k, bs] of this.bound) {
        if (k === key || k.startsWith(`${key}/`) || key.startsWith(`${k}/`) || k.split('#')[0] === key) {
          bs.forEach((b) => spliced.has(b) || dirty.add(b));
        }
      }
    }
    for (const l of lists) this.tables.renderRows(l);
    for (const b of dirty) {
      if (lists.has(String(b.path[0]))) continue;
      let v: unknown;
      try {
        v = app.client.read(this.url, b.path);
      } catch {
        continue;
      }
      b.refresh(v);
    }
    showPresence(this, this.people);
    // For the benchmark and tests: the DOM now shows these patches.
    // `splices`: how many of them went into a field where they land.
    window.dispatchEvent(new CustomEvent('codraft:applied', { detail: { url: this.url, splices } }));
    this.validateSoon(150);
  }

  /** Re-runs the validator after `ms` (at once for 0). */
  validateSoon(ms: number) {
    if (this.drafting()) return;
    clearTimeout(this.validateTimer);
    if (ms === 0) showIssues(this, this.issuesEl);
    else this.validateTimer = window.setTimeout(() => showIssues(this, this.issuesEl), ms);
  }

  focusMoved(field: TextField | null) {
    this.focused = field;
    if (field) this.lastField = fieldOf(field.path);
    if (field) {
      const [start, end] = [field.el.selectionStart, field.el.selectionEnd];
      this.selection = start === end ? null : { field: fieldOf(field.path), start, end, text: field.el.value.slice(start, end) };
    }
    // A blur is followed by a focus elsewhere more often than not: wait a tick.
    setTimeout(() => {
      if (field === null && this.focused !== null) return;
      announceFocus(this);
    }, field ? 0 : 30);
  }
}

