// The card editor: every field of a commitment card, live.

import { app, CardJson, Patch, Path, pathKey, PeerState, Issue, validateCard, exportCard, blankRow } from './app';
import type { Role, Sector } from './api';
import { h, uid } from './dom';
import { label, lang, t, LANGS, Lang, TAGS } from './i18n';
import { Bound, Host, TextField, selectField, dateField, checkField, numberField, labelled, Caret } from './fields';

interface TableSpec {
  list: string;
  item: string;
  cols: { key: string; label: string; kind: 'text' | 'date' | 'select'; options?: [string, string][] }[];
  row: () => unknown;
}

export class CardEditor implements Host {
  el: HTMLElement;
  private bound = new Map<string, Bound[]>();
  private texts = new Map<string, TextField>();
  private tables = new Map<string, { spec: TableSpec; body: HTMLElement; count: number }>();
  private people: HTMLElement;
  private issuesEl: HTMLElement;
  private off: () => void;
  private validateTimer = 0;
  private focused: TextField | null = null;

  constructor(public url: string, public readOnly = false) {
    this.people = h('ul', { class: 'people', 'aria-live': 'polite' });
    this.issuesEl = h('div', { class: 'issues' });
    this.el = h('article', { class: 'card-editor' });
    this.render();
    this.off = app.on((e) => {
      if (e.type === 'change' && e.url === url) this.apply(e.patches as Patch[]);
      if (e.type === 'presence' && e.url === url) this.showPresence();
      if (e.type === 'me') this.announce();
    });
    this.announce();
  }

  destroy() {
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

  private render() {
    this.bound.clear();
    this.texts.clear();
    this.tables.clear();
    const c = app.choices;
    const opts = (prefix: string, values: string[]): [string, string][] => values.map((v) => [v, label(`${prefix}.${v}`)]);
    const doc = app.client.read(this.url, []) as CardJson;
    const title = h('h1', { dir: 'auto', class: 'card-title' });
    const setTitle = () => {
      const tt = app.client.read(this.url, ['title']) as CardJson['title'];
      const best = tt?.[lang()]?.text || tt?.ar?.text || tt?.fr?.text || t('untitled');
      const num = app.client.read(this.url, ['number']);
      title.textContent = num ? `${num} — ${best}` : best;
    };
    setTitle();
    this.register({ path: ['title'], key: 'title', focusable: title, refresh: setTitle });
    this.register({ path: ['number'], key: 'number#title', focusable: title, refresh: setTitle });

    const general = h('section', { class: 'panel', 'aria-labelledby': 'sec-general' },
      h('h2', { id: 'sec-general' }, t('general')),
      labelled(label('number'), this.text(['number'], label('number')).el),
      labelled(label('axis'), selectField(this, ['axis'], label('axis'), opts('axis', c.axes), t('choose'))),
      labelled(label('group'), selectField(this, ['group'], label('group'), opts('group', c.groups), t('choose'))),
      labelled(label('workflow'), selectField(this, ['workflow'], label('workflow'), opts('workflow', c.workflow))),
      this.multi('title', 1),
      this.multi('summary', 2),
      labelled(label('lead'), this.text(['lead'], label('lead')).el),
      h('div', { class: 'pair' },
        labelled(label('start'), dateField(this, ['start'], label('start'))),
        labelled(label('end'), dateField(this, ['end'], label('end')))),
      this.table({
        list: 'actors', item: 'actors',
        cols: [
          { key: 'organisation', label: label('actor.organisation'), kind: 'text' },
          { key: 'kind', label: label('actor.kind'), kind: 'select', options: opts('kind', c.actorKinds) },
          { key: 'role', label: label('actor.role'), kind: 'text' },
        ],
        row: () => blankRow('actor'),
      }),
    );
    const description = h('section', { class: 'panel', 'aria-labelledby': 'sec-desc' },
      h('h2', { id: 'sec-desc' }, t('description')),
      ...['problem', 'causes', 'baseline', 'solution', 'results', 'contribution'].map((s) => this.multi(s, 3)),
      this.values(),
    );
    const plan = h('section', { class: 'panel', 'aria-labelledby': 'sec-plan' },
      h('h2', { id: 'sec-plan' }, label('activities')),
      this.table({
        list: 'activities', item: 'activity',
        cols: [
          { key: 'title', label: label('activity.title'), kind: 'text' },
          { key: 'deliverable', label: label('activity.deliverable'), kind: 'text' },
          { key: 'start', label: label('activity.start'), kind: 'date' },
          { key: 'end', label: label('activity.end'), kind: 'date' },
          { key: 'responsible', label: label('activity.responsible'), kind: 'text' },
          { key: 'status', label: label('activity.status'), kind: 'select', options: opts('astatus', c.activityStatuses) },
          { key: 'evidence', label: label('activity.evidence'), kind: 'text' },
        ],
        row: () => blankRow('activity'),
      }),
      h('h2', {}, label('indicators')),
      this.table({
        list: 'indicators', item: 'indicator',
        cols: [
          { key: 'label', label: label('indicator.label'), kind: 'text' },
          { key: 'kind', label: label('indicator.kind'), kind: 'select', options: opts('ikind', c.indicatorKinds) },
          { key: 'unit', label: label('indicator.unit'), kind: 'text' },
          { key: 'baseline', label: label('indicator.baseline'), kind: 'text' },
          { key: 'target', label: label('indicator.target'), kind: 'text' },
          { key: 'verification', label: label('indicator.verification'), kind: 'text' },
        ],
        row: () => blankRow('indicator'),
      }),
    );
    const follow = h('section', { class: 'panel', 'aria-labelledby': 'sec-follow' },
      h('h2', { id: 'sec-follow' }, t('followUp')),
      h('fieldset', {}, h('legend', {}, label('budget')),
        labelled(label('budget.amount'), numberField(this, ['budget', 'amount'], label('budget.amount'))),
        labelled(label('budget.source'), this.text(['budget', 'source'], label('budget.source')).el),
        h('label', { class: 'check' }, checkField(this, ['budget', 'funded']), label('budget.funded'))),
      labelled(label('sdgs'), this.text(['sdgs'], label('sdgs'), 2).el),
      labelled(label('proposals'), this.text(['proposals'], label('proposals'), 2).el),
      ...(['government', 'civilSociety'] as const).map((who) =>
        h('fieldset', {}, h('legend', {}, label(`contacts.${who}`)),
          ...['name', 'title', 'department', 'email', 'phone'].map((f) =>
            labelled(label(`contact.${f}`), this.text(['contacts', who, f], `${label(`contacts.${who}`)} — ${label(`contact.${f}`)}`).el)))),
      h('fieldset', { class: 'revision' }, h('legend', {}, label('revision')),
        this.decision(opts('decision', c.decisions)),
        this.multi('revision/rationale', 2),
        labelled(label('revision.meeting'), dateField(this, ['revision', 'meeting'], label('revision.meeting')))),
      h('fieldset', {}, h('legend', {}, label('assessment')),
        labelled(label('assessment.completion'), selectField(this, ['assessment', 'completion'], label('assessment.completion'), opts('completion', c.completions))),
        labelled(label('assessment.percent'), numberField(this, ['assessment', 'percent'], label('assessment.percent'))),
        labelled(label('assessment.narrative'), this.text(['assessment', 'narrative'], label('assessment.narrative'), 2).el),
        labelled(label('assessment.evidence'), this.text(['assessment', 'evidence'], label('assessment.evidence')).el)),
    );
    void doc;
    const side = h('aside', { class: 'side' },
      h('section', { class: 'panel', 'aria-labelledby': 'sec-people' },
        h('h2', { id: 'sec-people' }, t('here')), this.people),
      h('section', { class: 'panel', 'aria-labelledby': 'sec-issues' },
        h('h2', { id: 'sec-issues' }, t('completeness')), this.issuesEl),
      this.exporter(),
    );
    this.el.replaceChildren(
      h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, t('back'))),
      title,
      h('div', { class: 'editor-grid' }, h('div', { class: 'fields' }, general, description, plan, follow), side),
    );
    if (this.readOnly) {
      this.lock(this.el);
      this.el.querySelector('.card-title')?.after(h('p', { class: 'notice', role: 'note' }, t('readOnly')));
    }
    this.validate();
    this.showPresence();
  }

  /** Observers read: every control is read-only (the server would refuse
   * their changes anyway). */
  private lock(root: HTMLElement) {
    if (!this.readOnly) return;
    root.querySelectorAll<HTMLTextAreaElement>('textarea').forEach((el) => (el.readOnly = true));
    root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('.fields input, .fields select, .fields button, tbody input, tbody select, tbody button')
      .forEach((el) => (el.disabled = true));
  }

  private text(path: Path, name: string, rows = 1, lang?: string): TextField {
    return new TextField(this, path, name, { rows, lang });
  }

  /** A text in the three languages, each with its status. */
  private multi(section: string, rows: number): HTMLElement {
    const base = section.split('/');
    const name = label(base.join('.'));
    const fs = h('fieldset', { class: 'multi', 'data-path': base.join('/') }, h('legend', {}, name));
    for (const l of LANGS as Lang[]) {
      const f = this.text([...base, l, 'text'], `${name} — ${label(`lang.${l}`)}`, rows, TAGS[l]);
      const status = selectField(this, [...base, l, 'status'], `${name} — ${label(`lang.${l}`)} — ${label('status')}`,
        app.choices.textStatuses.map((s) => [s, label(`status.${s}`)] as [string, string]));
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

  private values(): HTMLElement {
    const fs = h('fieldset', { class: 'values', 'data-path': 'values' }, h('legend', {}, label('values')));
    for (const v of app.choices.values) {
      const box = checkField(this, ['values', v, 'on']);
      const why = this.text(['values', v, 'why'], `${label(`value.${v}`)} — ${label('values.why')}`, 1);
      fs.append(h('div', { class: 'value' }, h('label', { class: 'check' }, box, label(`value.${v}`)), why.wrap));
    }
    return fs;
  }

  private decision(options: [string, string][]): HTMLElement {
    const path = ['revision', 'decision'];
    const name = `decision-${uid()}`;
    const radios = options.map(([v, l]) => {
      const r = h('input', { type: 'radio', name, value: v });
      r.addEventListener('change', () => app.client.put(this.url, ['revision'], 'decision', v));
      return { r, el: h('label', { class: 'check' }, r, l) };
    });
    const set = (v: unknown) => radios.forEach(({ r }) => (r.checked = r.value === v));
    set(app.client.read(this.url, path));
    this.register({ path, key: pathKey(path), focusable: radios[0].r, refresh: set });
    return h('div', { class: 'decision', role: 'radiogroup', 'aria-label': label('revision.decision'), 'data-path': 'revision/decision' },
      h('span', { class: 'radiogroup-label' }, label('revision.decision')), ...radios.map((x) => x.el));
  }

  private table(spec: TableSpec): HTMLElement {
    const body = h('tbody');
    const head = h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), ...spec.cols.map((c) => h('th', { scope: 'col' }, c.label)), h('th', { scope: 'col' }, h('span', { class: 'sr' }, t('row')))));
    const add = h('button', { type: 'button', class: 'add' }, `+ ${t('add')} — ${label(spec.item === 'actors' ? 'actors' : spec.item)}`);
    add.addEventListener('click', () => {
      const n = (app.client.read(this.url, [spec.list]) as unknown[]).length;
      app.client.insert(this.url, [spec.list], n, spec.row());
      this.renderRows(spec.list);
      const first = this.bound.get(pathKey([spec.list, n, spec.cols[0].key]))?.[0];
      first?.focusable.focus();
    });
    this.tables.set(spec.list, { spec, body, count: 0 });
    this.renderRows(spec.list);
    return h('div', { class: 'table-wrap', 'data-path': spec.list },
      h('table', { class: `rows rows-${spec.list}` }, head, body), add);
  }

  private renderRows(list: string) {
    const tb = this.tables.get(list)!;
    const { spec, body } = tb;
    // Drop the bindings of the old rows.
    for (const k of [...this.bound.keys()]) if (k.startsWith(`${list}/`)) { this.bound.delete(k); this.texts.delete(k); }
    const rows = (app.client.read(this.url, [list]) as unknown[]) ?? [];
    tb.count = rows.length;
    let focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.path;
    const selection = document.activeElement instanceof HTMLTextAreaElement
      ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
    // If someone else moved rows, the text being typed in may now be at
    // another index: follow it by its cursor (a cursor resolves only in the
    // text it was made in), not by the index it had.
    const caret = this.focused?.key === focusedKey ? this.focused : null;
    if (caret?.anchor && focusedKey?.startsWith(`${list}/`)) {
      const holds = rows.map((_, j) => {
        const path = caret.path.map((k, n) => (n === 1 ? j : k)) as Path;
        try {
          app.client.cursorPosition(this.url, path, caret.anchor!);
          return pathKey(path);
        } catch {
          return null;
        }
      }).filter((k): k is string => k !== null);
      if (holds.length === 1) focusedKey = holds[0];
    }
    body.replaceChildren(...rows.map((_, i) => {
      const itemName = `${label(spec.item === 'actors' ? 'actor.organisation' : spec.item)} ${i + 1}`;
      const cells = spec.cols.map((c) => {
        const path = [list, i, c.key];
        const name = `${itemName} — ${c.label}`;
        const control = c.kind === 'text' ? this.text(path, name).wrap
          : c.kind === 'date' ? dateField(this, path, name)
          : selectField(this, path, name, c.options!);
        return h('td', { 'data-label': c.label }, control);
      });
      const btn = (text: string, aria: string, disabled: boolean, f: () => void) => {
        const b = h('button', { type: 'button', 'aria-label': `${aria} — ${itemName}`, title: aria, disabled }, text);
        b.addEventListener('click', () => { f(); this.renderRows(list); });
        return b;
      };
      return h('tr', {}, h('th', { scope: 'row' }, String(i + 1)), ...cells,
        h('td', { class: 'row-actions' },
          btn('↑', t('up'), i === 0, () => this.swapRows(list, i - 1)),
          btn('↓', t('down'), i === rows.length - 1, () => this.swapRows(list, i)),
          btn('✕', t('remove'), false, () => app.client.delete(this.url, [list], i))));
    }));
    this.lock(body);
    if (focusedKey?.startsWith(`${list}/`)) {
      const el = this.bound.get(focusedKey)?.[0]?.focusable;
      if (el) {
        el.focus();
        const tf = this.texts.get(focusedKey);
        const placed = !!(tf && caret?.anchor && caret.head && tf.placeCaret(caret.anchor, caret.head));
        if (!placed && selection && el instanceof HTMLTextAreaElement) el.setSelectionRange(selection[0], selection[1]);
      }
    }
    this.validate();
  }

  /**
   * Swaps rows `i` and `i + 1` of a table. Automerge lists have no move: one
   * of the two rows is deleted and re-inserted as a copy, and whatever
   * someone else writes into that row's old copy at the same moment is lost.
   * So the copy is made of the row nobody else is in, as far as presence
   * tells (an edit made offline counts: a peer's presence stays for its TTL).
   */
  private swapRows(list: string, i: number) {
    const busy = this.rowsInUse(list);
    if (busy.has(i + 1) && !busy.has(i)) app.client.moveItem(this.url, [list], i, i + 1);
    else app.client.moveItem(this.url, [list], i + 1, i);
  }

  /** Rows of `list` in which another person's caret is. */
  private rowsInUse(list: string): Set<number> {
    const peers = app.client.peers(this.url) as Record<string, { state: PeerState }>;
    const rows = new Set<number>();
    for (const { state } of Object.values(peers)) {
      const p = state.focus?.field?.split('/');
      if (p && p[0] === list && p.length > 1) rows.add(Number(p[1]));
    }
    return rows;
  }

  /** Remote (and other-tab) changes, as patches. */
  private apply(patches: Patch[]) {
    const dirty = new Set<Bound>();
    const lists = new Set<string>();
    for (const p of patches) {
      const top = String(p.path[0]);
      if (this.tables.has(top) && p.path.length <= 2) {
        // A row added, removed or replaced, or the whole list replaced.
        lists.add(top);
        continue;
      }
      if (this.tables.has(top) && p.path.length >= 2 && Number(p.path[1]) >= (this.tables.get(top)!.count)) {
        lists.add(top);
        continue;
      }
      const key = pathKey(p.path);
      for (const [k, bs] of this.bound) {
        if (k === key || k.startsWith(`${key}/`) || key.startsWith(`${k}/`) || k.split('#')[0] === key) bs.forEach((b) => dirty.add(b));
      }
    }
    for (const l of lists) this.renderRows(l);
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
    this.showPresence();
    // For the benchmark and tests: the DOM now shows these patches.
    window.dispatchEvent(new CustomEvent('codraft:applied', { detail: { url: this.url } }));
    clearTimeout(this.validateTimer);
    this.validateTimer = window.setTimeout(() => this.validate(), 150);
  }

  private validate() {
    const issues = validateCard(app.client.read(this.url, []), lang()) as Issue[];
    const required = issues.filter((i) => i.severity === 'required');
    const badge = required.length === 0
      ? h('p', { class: 'badge ok' }, `✓ ${t('complete')}`)
      : h('p', { class: 'badge todo' }, `${required.length} ${t('missing')}`);
    const list = h('ul', { class: 'issue-list' }, issues.map((i) => {
      const a = h('a', { href: `#field=${i.field}` }, i.message);
      a.addEventListener('click', (e) => { e.preventDefault(); this.focusField(i.field); });
      return h('li', { class: i.severity }, a, i.severity === 'recommended' ? ` (${t('recommended')})` : '');
    }));
    this.issuesEl.replaceChildren(badge, list);
  }

  private focusField(field: string) {
    const exact = this.bound.get(field)?.[0]?.focusable;
    const el = exact ?? (this.el.querySelector(`[data-path="${CSS.escape(field)}"]`) as HTMLElement | null)
      ?? [...this.bound.entries()].find(([k]) => k.startsWith(`${field}/`))?.[1][0]?.focusable;
    if (el) {
      el.scrollIntoView({ block: 'center' });
      (el.matches('input,select,textarea,button') ? el : el.querySelector<HTMLElement>('input,select,textarea,button'))?.focus();
    }
  }

  private exporter(): HTMLElement {
    const sel = h('select', { id: uid() }, LANGS.map((l) => h('option', { value: l }, label(`lang.${l}`))));
    sel.value = lang();
    const md = h('button', { type: 'button' }, t('markdown'));
    md.addEventListener('click', () => {
      const text = exportCard(app.client.read(this.url, []), sel.value, 'markdown', undefined);
      const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' })), download: `${this.fileName()}.${sel.value}.md` });
      document.body.append(a);
      a.click();
      a.remove();
    });
    const print = h('button', { type: 'button' }, t('print'));
    print.addEventListener('click', () => {
      const page = exportCard(app.client.read(this.url, []), sel.value, 'html', `${location.origin}/fonts/fonts.css`);
      const url = URL.createObjectURL(new Blob([page], { type: 'text/html;charset=utf-8' }));
      window.open(url, '_blank');
    });
    return h('section', { class: 'panel', 'aria-labelledby': 'sec-export' },
      h('h2', { id: 'sec-export' }, t('export')),
      labelled(t('exportLang'), sel), h('div', { class: 'buttons' }, md, print));
  }

  private fileName(): string {
    return String(app.client.read(this.url, ['number']) || 'card').replace(/[^\w-]+/g, '_');
  }

  // ---- presence ----

  focusMoved(field: TextField | null) {
    this.focused = field;
    // A blur is followed by a focus elsewhere more often than not: wait a tick.
    setTimeout(() => {
      if (field === null && this.focused !== null) return;
      this.announceFocus();
    }, field ? 0 : 30);
  }

  private announce() {
    try {
      app.client.setPresence(this.url, 'user', app.me);
    } catch {
      /* not open */
    }
    this.announceFocus();
  }

  private announceFocus() {
    const f = this.focused;
    try {
      app.client.setPresence(this.url, 'focus', f ? { field: f.key, anchor: f.anchor, head: f.head } : { field: null, anchor: null, head: null });
    } catch {
      /* not open */
    }
  }

  /** Who is here, in which field, and their carets. */
  private showPresence() {
    const peers = app.client.peers(this.url) as Record<string, { state: PeerState; verified: { id: string; name: string; sector: string; role: string } | null }>;
    const byField = new Map<string, Caret[]>();
    const items: HTMLElement[] = [h('li', { class: 'me' }, dot(app.me.colour), `${app.me.name} (${t('you')})`)];
    for (const [, { state, verified }] of Object.entries(peers)) {
      // The server's word on who this is wins over what the peer claims.
      const claimed = state.user;
      if (!claimed && !verified) continue;
      const user = { name: verified?.name ?? claimed!.name, sector: verified?.sector ?? claimed?.sector ?? 'other', colour: claimed?.colour ?? '#555' };
      const role = verified?.role ? ` · ${t(`role.${verified.role as Role | 'admin'}`)}` : '';
      const focus = state.focus;
      const where = focus?.field ? `${t('inField')} ${this.fieldName(focus.field)}` : '';
      items.push(h('li', { class: 'peer', title: t(`sector.${user.sector as Sector}`) }, dot(user.colour), h('bdi', {}, user.name), role, where ? ` — ${where}` : ''));
      if (focus?.field && focus.anchor && focus.head && this.texts.has(focus.field)) {
        const tf = this.texts.get(focus.field)!;
        try {
          const anchor = app.client.cursorPosition(this.url, tf.path, focus.anchor);
          const head = app.client.cursorPosition(this.url, tf.path, focus.head);
          const list = byField.get(focus.field) ?? [];
          list.push({ name: user.name, colour: user.colour, anchor, head });
          byField.set(focus.field, list);
        } catch {
          /* a cursor from a text we do not have yet */
        }
      }
    }
    if (items.length === 1) items.push(h('li', { class: 'alone' }, t('alone')));
    this.people.replaceChildren(...items);
    for (const [k, tf] of this.texts) tf.drawCarets(byField.get(k) ?? []);
  }

  /** "Title — French", "Activity 3 — Deliverable": a field's name for people. */
  fieldName(key: string): string {
    const p = key.split('/');
    if (p.length === 3 && (p[2] === 'text') && LANGS.includes(p[1] as Lang)) return `${label(p[0])} — ${label(`lang.${p[1]}`)}`;
    if (p[0] === 'revision' && p[1] === 'rationale') return `${label('revision.rationale')} — ${label(`lang.${p[2]}`)}`;
    if (p[0] === 'activities' || p[0] === 'indicators') {
      const item = p[0] === 'activities' ? 'activity' : 'indicator';
      return `${label(item)} ${Number(p[1]) + 1} — ${label(`${item}.${p[2]}`)}`;
    }
    if (p[0] === 'actors') return `${label('actors')} ${Number(p[1]) + 1} — ${label(`actor.${p[2]}`)}`;
    if (p[0] === 'values') return `${label(`value.${p[1]}`)} — ${label('values.why')}`;
    if (p[0] === 'contacts') return `${label(`contacts.${p[1]}`)} — ${label(`contact.${p[2]}`)}`;
    return label(p.join('.'));
  }
}

function dot(colour: string): HTMLElement {
  return h('span', { class: 'dot', style: `background:${colour}`, 'aria-hidden': 'true' });
}
