// Undo and redo of one's own edits: Ctrl+Z (⌘Z), Ctrl+Shift+Z or Ctrl+Y,
// the browser's Edit menu, and two buttons. The WASM client takes back this
// tab's own steps as new changes (client-wasm/src/client/undo.rs), so a
// peer's words typed meanwhile stay; the browser's own undo, which knows
// nothing of peers and would replay an old value over theirs, is replaced.
// The result arrives as a `change` event and the fields redraw from it.

import { app } from './app';
import { afterPaint, h } from './dom';
import { t } from './i18n';

/** The buttons drawn last for a page root (a page redraws them). */
const drawn = new WeakMap<HTMLElement, () => void>();

function take(url: string, back: boolean) {
  try {
    if (back) app.client.undo(url);
    else app.client.redo(url);
  } catch {
    /* the document closed */
  }
}

/** Binds the keys on `root` (once) and gives the two buttons for `url`. */
export function undoControls(root: HTMLElement, url: string): HTMLElement {
  const undo = h('button', { type: 'button', class: 'undo', 'aria-keyshortcuts': 'Control+Z' }, t('undo'));
  const redo = h('button', { type: 'button', class: 'redo', 'aria-keyshortcuts': 'Control+Shift+Z Control+Y' }, t('redo'));
  const refresh = () => {
    try {
      undo.disabled = !app.client.canUndo(url);
      redo.disabled = !app.client.canRedo(url);
    } catch {
      undo.disabled = redo.disabled = true;
    }
  };
  undo.addEventListener('click', () => take(url, true));
  redo.addEventListener('click', () => take(url, false));
  if (!drawn.has(root)) bindKeys(root, url);
  drawn.set(root, refresh);
  refresh();
  return h('div', { class: 'undo-bar', role: 'group', 'aria-label': t('undo.label') }, undo, redo);
}

function bindKeys(root: HTMLElement, url: string) {
  const again = () => queueMicrotask(() => drawn.get(root)?.());
  // A form of its own (a comment being written, a reason, a decision) keeps
  // the browser's undo: only the document's fields, which carry their
  // path, and the page around them undo the document.
  const ownForm = (e: Event) => {
    const el = e.target as HTMLElement | null;
    return !!el?.matches?.('input, textarea, select') && !el.closest('[data-path]');
  };
  root.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || ownForm(e)) return;
    const k = e.key.toLowerCase();
    if (k !== 'z' && k !== 'y') return;
    e.preventDefault();
    take(url, k === 'z' && !e.shiftKey);
    again();
  });
  root.addEventListener('beforeinput', (e) => {
    const kind = (e as InputEvent).inputType;
    if ((kind !== 'historyUndo' && kind !== 'historyRedo') || ownForm(e)) return;
    e.preventDefault();
    take(url, kind === 'historyUndo');
    again();
  });
  // Every edit may change what can be undone. A keystroke is handed to
  // the client after its frame is painted (fields.ts): asked sooner, the
  // client would take it inside the keystroke.
  for (const ev of ['change', 'click']) root.addEventListener(ev, again);
  root.addEventListener('input', () => afterPaint(() => drawn.get(root)?.()));
}
