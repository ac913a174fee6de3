// The card's tables (supporting actors, activities, indicators): rows
// added, removed and moved, each cell bound to its path. Rows are shown by
// their `order` key (the schema's `row_order`): moving a row swaps two
// keys and never rewrites a row, so words typed into it meanwhile stay.

import { TextBox } from './textbox';
import { app, blankRow, Path, pathKey } from './app';
import { ORDER_STEP, Row, orderKey, rowOrder } from './rows';
import { h } from './dom';
import { label, t, LANGS, TAGS, Lang } from './i18n';
import { dateField, selectField } from './fields';
import { FieldSpec, options } from './layout';
import type { CardEditor } from './editor';

type TableField = Extract<FieldSpec, { kind: 'table' }>;

/** Each language's mark before its line in a multilingual cell (its
 * script's own sign; the line's full name is its label). */
const SHORT: Record<Lang, string> = { ar: 'ع', fr: 'Fr', zgh: 'ⵣ' };

interface Table {
  spec: TableField;
  body: HTMLElement;
  count: number;
}

export class Tables {
  private tables = new Map<string, Table>();

  constructor(private editor: CardEditor) {}

  has(list: string): boolean {
    return this.tables.has(list);
  }

  /** Rows the editor shows for `list` (to tell a new row from an edit). */
  count(list: string): number {
    return this.tables.get(list)?.count ?? 0;
  }

  clear() {
    this.tables.clear();
  }

  table(spec: TableField): HTMLElement {
    const list = spec.path;
    const body = h('tbody');
    const head = h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'),
      ...spec.columns.map((c) => h('th', { scope: 'col' }, label(c.label))),
      h('th', { scope: 'col' }, h('span', { class: 'sr' }, t('row')))));
    const what = list === 'actors' ? label(spec.label) : label(spec.item);
    const add = h('button', { type: 'button', class: 'add' }, `+ ${t('add')} — ${what}`);
    add.addEventListener('click', () => {
      const url = this.editor.url;
      const rows = (app.client.read(url, [list]) as Row[]) ?? [];
      const n = rows.length;
      const last = rows.reduce((m, r, i) => Math.max(m, orderKey(r, i)), -ORDER_STEP);
      app.client.insert(url, [list], n, { ...(blankRow(spec.row) as object), order: last + ORDER_STEP });
      this.renderRows(list);
      this.editor.bound.get(pathKey([list, n, spec.columns[0].key]))?.[0]?.focusable.focus();
    });
    this.tables.set(list, { spec, body, count: 0 });
    this.renderRows(list);
    return h('div', { class: 'table-wrap', 'data-path': list },
      h('table', { class: `rows rows-${list}` }, head, body), add);
  }

  renderRows(list: string) {
    const tb = this.tables.get(list)!;
    const body = tb.body;
    const ed = this.editor;
    ed.forget(`${list}/`);
    const rows = (app.client.read(ed.url, [list]) as unknown[]) ?? [];
    tb.count = rows.length;
    let focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.path;
    const selection = document.activeElement instanceof TextBox
      ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
    // If someone else moved rows, the text being typed in may now be at
    // another index: follow it by its cursor (a cursor resolves only in the
    // text it was made in), not by the index it had.
    const caret = ed.focused?.key === focusedKey ? ed.focused : null;
    if (caret?.anchor && focusedKey?.startsWith(`${list}/`)) {
      const holds = rows.map((_, j) => {
        const path = caret.path.map((k, n) => (n === 1 ? j : k)) as Path;
        try {
          app.client.cursorIndex(ed.url, path, caret.anchor!);
          return pathKey(path);
        } catch {
          return null;
        }
      }).filter((k): k is string => k !== null);
      if (holds.length === 1) focusedKey = holds[0];
    }
    const order = rowOrder(rows as Row[]);
    body.replaceChildren(...order.map((i, pos) => this.row(tb, i, pos, order)));
    ed.lock(body);
    if (focusedKey?.startsWith(`${list}/`)) {
      const el = ed.bound.get(focusedKey)?.[0]?.focusable;
      if (el) {
        el.focus();
        const tf = ed.texts.get(focusedKey);
        const placed = !!(tf && caret?.anchor && caret.head && tf.placeCaret(caret.anchor, caret.head));
        if (!placed && selection && el instanceof TextBox) el.setSelectionRange(selection[0], selection[1]);
      }
    }
    ed.validateSoon(0);
  }

  /** A row's title, deliverable or label: one line per language, each
   * named for screen readers, an empty one marked untranslated. A cell
   * from before rows were multilingual (one plain text) stays one line. */
  private multi(path: Path, name: string): HTMLElement {
    const ed = this.editor;
    if (typeof app.client.read(ed.url, path) === 'string') return ed.text(path, name).wrap;
    return h('div', { class: 'row-multi' }, ...LANGS.map((l) => {
      const f = ed.text([...path, l, 'text'], `${name} — ${label(`lang.${l}`)}`, 1, TAGS[l]);
      f.el.placeholder = label('export.untranslated');
      return h('div', { class: `row-lang lang-${l}` }, h('span', { class: 'lang-tag', 'aria-hidden': 'true' }, SHORT[l]), f.wrap);
    }));
  }

  /** Row `i` of the list, shown at `pos` of `order`. */
  private row({ spec }: Table, i: number, pos: number, order: number[]): HTMLElement {
    const list = spec.path;
    const ed = this.editor;
    const n = order.length;
    const itemName = `${label(spec.item)} ${pos + 1}`;
    const cells = spec.columns.map((c) => {
      const path = [list, i, c.key];
      const name = `${itemName} — ${label(c.label)}`;
      const control = c.kind === 'text' ? ed.text(path, name).wrap
        : c.kind === 'multilingual' ? this.multi(path, name)
        : c.kind === 'date' ? dateField(ed, path, name)
        : selectField(ed, path, name, options(c.labels!, c.choices!));
      return h('td', { 'data-label': label(c.label) }, control);
    });
    const btn = (text: string, aria: string, disabled: boolean, f: () => boolean | void) => {
      const b = h('button', { type: 'button', 'aria-label': `${aria} — ${itemName}`, title: aria, disabled }, text);
      b.addEventListener('click', () => {
        const removed = f() === true;
        this.renderRows(list);
        // After a row goes, the keyboard goes on from the row that took
        // its place (or the one before it, or the add button).
        if (removed) {
          const now = rowOrder((app.client.read(ed.url, [list]) as Row[]) ?? []);
          const at = now[Math.min(pos, now.length - 1)];
          const first = pathKey([list, at, spec.columns[0].key]);
          const key = at === undefined ? undefined : [...ed.bound.keys()].find((k) => k === first || k.startsWith(`${first}/`));
          const next = key === undefined ? undefined : ed.bound.get(key)?.[0]?.focusable;
          (next ?? b.closest('.table-wrap')?.querySelector<HTMLElement>('button.add'))?.focus();
        }
      });
      return b;
    };
    return h('tr', { 'data-row': i }, h('th', { scope: 'row' }, String(pos + 1)), ...cells,
      h('td', { class: 'row-actions' },
        btn('↑', t('up'), pos === 0, () => this.swapRows(list, order, pos - 1)),
        btn('↓', t('down'), pos === n - 1, () => this.swapRows(list, order, pos)),
        btn('✕', t('remove'), false, () => {
          if (!confirm(t('confirmRemoveRow'))) return false;
          app.client.delete(ed.url, [list], i);
          return true;
        }),
        this.commentButton(list, i, itemName)));
  }

  /** Comments on the row (every reader, observers too). */
  private commentButton(list: string, i: number, itemName: string): HTMLElement {
    const b = h('button', { type: 'button', class: 'for-readers', 'aria-label': `${t('commentRow')} — ${itemName}`, title: t('commentRow') }, '✎');
    b.addEventListener('click', () => this.editor.comments.compose(false, undefined, `${list}/${i}`));
    return b;
  }

  /** Swaps the rows shown at `pos` and `pos + 1` by their order keys
   *  (giving every row its key first if some have none). */
  private swapRows(list: string, order: number[], pos: number) {
    const url = this.editor.url;
    const rows = (app.client.read(url, [list]) as Row[]) ?? [];
    const keys = order.map((i) => orderKey(rows[i], i));
    // Keys as they are, made distinct and written where missing.
    order.forEach((i, p) => {
      if (p > 0 && keys[p] <= keys[p - 1]) keys[p] = keys[p - 1] + ORDER_STEP;
      if (rows[i].order !== keys[p]) app.client.put(url, [list, i], 'order', keys[p]);
    });
    const [a, b] = [order[pos], order[pos + 1]];
    app.client.put(url, [list, a], 'order', keys[pos + 1]);
    app.client.put(url, [list, b], 'order', keys[pos]);
  }
}
