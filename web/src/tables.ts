// The card's tables (supporting actors, activities, indicators): rows
// added, removed and moved, each cell bound to its path. Automerge lists
// have no move: a swap re-creates one of the two rows, the one nobody
// else is writing in (by presence), so that their words survive.

import { app, blankRow, Path, pathKey, PeerState } from './app';
import { h } from './dom';
import { label, t } from './i18n';
import { dateField, selectField } from './fields';
import { FieldSpec, options } from './layout';
import type { CardEditor } from './editor';

type TableField = Extract<FieldSpec, { kind: 'table' }>;

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
      const n = (app.client.read(url, [list]) as unknown[]).length;
      app.client.insert(url, [list], n, blankRow(spec.row));
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
    const selection = document.activeElement instanceof HTMLTextAreaElement
      ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
    // If someone else moved rows, the text being typed in may now be at
    // another index: follow it by its cursor (a cursor resolves only in the
    // text it was made in), not by the index it had.
    const caret = ed.focused?.key === focusedKey ? ed.focused : null;
    if (caret?.anchor && focusedKey?.startsWith(`${list}/`)) {
      const holds = rows.map((_, j) => {
        const path = caret.path.map((k, n) => (n === 1 ? j : k)) as Path;
        try {
          app.client.cursorPosition(ed.url, path, caret.anchor!);
          return pathKey(path);
        } catch {
          return null;
        }
      }).filter((k): k is string => k !== null);
      if (holds.length === 1) focusedKey = holds[0];
    }
    body.replaceChildren(...rows.map((_, i) => this.row(tb, i, rows.length)));
    ed.lock(body);
    if (focusedKey?.startsWith(`${list}/`)) {
      const el = ed.bound.get(focusedKey)?.[0]?.focusable;
      if (el) {
        el.focus();
        const tf = ed.texts.get(focusedKey);
        const placed = !!(tf && caret?.anchor && caret.head && tf.placeCaret(caret.anchor, caret.head));
        if (!placed && selection && el instanceof HTMLTextAreaElement) el.setSelectionRange(selection[0], selection[1]);
      }
    }
    ed.validateSoon(0);
  }

  private row({ spec }: Table, i: number, n: number): HTMLElement {
    const list = spec.path;
    const ed = this.editor;
    const itemName = `${label(spec.item)} ${i + 1}`;
    const cells = spec.columns.map((c) => {
      const path = [list, i, c.key];
      const name = `${itemName} — ${label(c.label)}`;
      const control = c.kind === 'text' ? ed.text(path, name).wrap
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
          const left = (app.client.read(ed.url, [list]) as unknown[]).length;
          const next = ed.bound.get(pathKey([list, Math.min(i, left - 1), spec.columns[0].key]))?.[0]?.focusable;
          (next ?? b.closest('.table-wrap')?.querySelector<HTMLElement>('button.add'))?.focus();
        }
      });
      return b;
    };
    return h('tr', {}, h('th', { scope: 'row' }, String(i + 1)), ...cells,
      h('td', { class: 'row-actions' },
        btn('↑', t('up'), i === 0, () => this.swapRows(list, i - 1)),
        btn('↓', t('down'), i === n - 1, () => this.swapRows(list, i)),
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

  /** Swaps rows `i` and `i + 1`, re-creating the one nobody else is in. */
  private swapRows(list: string, i: number) {
    const busy = this.rowsInUse(list);
    if (busy.has(i + 1) && !busy.has(i)) app.client.moveItem(this.editor.url, [list], i, i + 1);
    else app.client.moveItem(this.editor.url, [list], i + 1, i);
  }

  /** Rows of `list` in which another person's caret is. */
  private rowsInUse(list: string): Set<number> {
    const peers = app.client.peers(this.editor.url) as Record<string, { state: PeerState }>;
    const rows = new Set<number>();
    for (const { state } of Object.values(peers)) {
      const p = state.focus?.field?.split('/');
      if (p && p[0] === list && p.length > 1) rows.add(Number(p[1]));
    }
    return rows;
  }
}
