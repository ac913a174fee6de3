// Controls bound to a path of a document. A text field shows a keystroke
// at once and hands it to the WASM client once the frame is painted
// (`handOver`: the keystroke's frame holds only the box's edit and its
// layout), or sooner, before the client is asked anything or takes
// anything in; other controls hand over their value on `change`. A remote
// change comes back through `splice` or `refresh`. Text fields (a
// `<codraft-text>`, textbox.ts: a block per paragraph) keep the local
// selection as Automerge cursors, so a remote edit before the caret does
// not move it, and draw other people's carets and selections over the
// text in their colour.

import { app, Path, pathKey } from './app';
import { afterPaint, h, uid } from './dom';
import { typeInto } from './tifinagh';
import { dateInput } from './date';
import { charIndex, hasAstral, utf16Index } from './chars';
import { TextBox } from './textbox';

export interface Bound {
  path: Path;
  key: string;
  /** The element to focus to reach this field. */
  focusable: HTMLElement;
  refresh(value: unknown): void;
  /** A remote splice by code points applied where it lands, without the
   *  whole value; false when it cannot be (then `refresh` is called). */
  splice?(index: number, remove: number, insert: string, length: number): boolean;
}

export interface Caret {
  name: string;
  colour: string;
  anchor: number;
  head: number;
}

export interface Host {
  url: string;
  /** Called when this page's focus or selection moves. */
  focusMoved(field: TextField | null): void;
  register(b: Bound): void;
}

/** Fields that show edits the client has not been given yet. */
const pending = new Set<TextField>();
let handOverScheduled = false;

/** Every edit a field shows and has not handed to the client yet, now.
 *  Runs before any call to the client (app.ts) and before the client takes
 *  in anything from the server or another tab (its `setBeforeRemote`), so
 *  a remote splice is always counted on the text the field shows. */
export function handOver() {
  if (pending.size === 0) return;
  const fields = [...pending];
  pending.clear();
  for (const f of fields) {
    try {
      f.commitNow();
    } catch {
      /* its document is closed: nothing to hand over to */
    }
  }
}
app.beforeUse = handOver;

/** `f`'s edits go to the client once the frame showing them is painted. */
function handOverLater(f: TextField) {
  pending.add(f);
  if (handOverScheduled) return;
  handOverScheduled = true;
  afterPaint(() => {
    handOverScheduled = false;
    handOver();
  });
}

export class TextField implements Bound {
  key: string;
  el: TextBox;
  overlay: HTMLDivElement;
  wrap: HTMLDivElement;
  anchor: string | null = null;
  head: string | null = null;

  translit = false;
  private composing = false;
  /** The text's length in code points as the document has it (kept as
   *  edits go, not counted again). */
  private shownChars: number;
  /** The text may hold a surrogate pair; false, its UTF-16 offsets are its
   *  code point offsets (`chars.ts`) and no conversion reads it. Set from
   *  the whole text when it comes from the document, and by what each edit
   *  inserts; an erased emoji leaves it set (the exact, slower count). */
  private astral: boolean;

  constructor(
    private host: Host,
    public path: Path,
    label: string,
    opts: { rows?: number; lang?: string; describedBy?: string } = {},
  ) {
    this.key = pathKey(path);
    const id = uid();
    this.el = h('codraft-text', {
      id,
      lang: opts.lang,
      'data-path': this.key,
      'aria-describedby': opts.describedBy,
      spellcheck: 'true',
    });
    // At least as high as `rows` lines, as a textarea would be.
    this.el.style.setProperty('--rows', String(opts.rows ?? 1));
    if (!opts.describedBy) this.el.setAttribute('aria-label', label);
    this.overlay = h('div', { class: 'carets', 'aria-hidden': 'true' });
    this.wrap = h('div', { class: 'text-field' }, this.el, this.overlay);
    const text = String(app.client.read(host.url, path) ?? '');
    this.el.value = text;
    this.el.takeEdits();
    this.astral = hasAstral(text);
    this.shownChars = charIndex(text, text.length, this.astral);
    this.el.addEventListener('compositionstart', () => (this.composing = true));
    this.el.addEventListener('compositionend', () => {
      this.composing = false;
      handOverLater(this);
    });
    // Before the box makes the edit itself (a capturing listener runs
    // first at the target).
    this.el.addEventListener('beforeinput', (e) => {
      if (this.translit) typeInto(this.el, e as InputEvent);
    }, true);
    this.el.addEventListener('input', () => {
      if (!this.composing) handOverLater(this);
    });
    for (const ev of ['select', 'keyup', 'mouseup', 'focus']) {
      this.el.addEventListener(ev, () => this.selectionMoved());
    }
    this.el.addEventListener('blur', () => host.focusMoved(null));
    host.register(this);
    // Other people's carets stay on their characters when lines rewrap.
    if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => this.drawCarets(this.carets)).observe(this.el);
  }

  get focusable() {
    return this.el;
  }

  /** An input method is composing a word here. */
  get inComposition(): boolean {
    return this.composing;
  }

  labelledBy(labelId: string) {
    this.el.removeAttribute('aria-label');
    this.el.setAttribute('aria-labelledby', labelId);
  }

  /** The edits shown since the last hand-over (the box records each:
   *  nothing compares two whole texts), each as one splice by code points
   *  checked against the text's length in the client; the whole value if
   *  that fails or the box kept no account (then the client diffs it).
   *  Called by `handOver` only. */
  commitNow() {
    const edits = this.el.takeEdits();
    if (edits === null || (edits.length > 1 && this.valueAstral)) return this.whole();
    if (edits.length === 0) return;
    for (const { at, removed, insert } of edits) {
      // The text before `at` is the same before and after the edit.
      const from = this.cp(at);
      const gone = charIndex(removed, removed.length, this.astral || hasAstral(removed));
      try {
        app.client.spliceChars(this.host.url, this.path, from, gone, insert, this.shownChars);
        this.shownChars += charIndex(insert, insert.length) - gone;
        this.astral ||= hasAstral(insert);
      } catch {
        return this.whole();
      }
    }
    this.selectionMoved();
  }

  /** The field's whole value to the client, which diffs it. */
  private whole() {
    const text = this.el.value;
    app.client.updateText(this.host.url, this.path, text);
    this.astral = hasAstral(text);
    this.shownChars = charIndex(text, text.length, this.astral);
    this.selectionMoved();
  }

  /** UTF-16 offset `at` of the value as a code point offset, and back:
   *  the value read only if it may hold a surrogate pair. */
  private cp(at: number): number {
    return this.valueAstral ? charIndex(this.el.value, at) : at;
  }

  private u16(n: number): number {
    return this.valueAstral ? utf16Index(this.el.value, n) : n;
  }

  /** Whether the value may hold a surrogate pair: while an input method
   *  composes, the value has words no edit has reported yet. */
  private get valueAstral(): boolean {
    return this.astral || this.composing;
  }

  /** A cursor at UTF-16 offset `at` of the value. */
  private cursorAt(at: number): string {
    return app.client.cursorAt(this.host.url, this.path, this.cp(at));
  }

  /** Where a cursor of this text is, as a UTF-16 offset of the value. */
  position(cursor: string, after = 0): number {
    const n = app.client.cursorIndex(this.host.url, this.path, cursor) + after;
    return this.u16(n);
  }

  private selectionMoved() {
    // Edits waiting to be handed over: the hand-over places the cursors.
    if (document.activeElement !== this.el || pending.has(this)) return;
    try {
      const [a, b] = [this.el.selectionStart, this.el.selectionEnd];
      // A caret (the selection collapsed, as after each keystroke): one
      // cursor and one character before it serve both ends.
      this.anchor = this.cursorAt(a);
      this.head = a === b ? this.anchor : this.cursorAt(b);
      const left = this.leftOf(a);
      this.left = [left, a === b ? left : this.leftOf(b)];
    } catch {
      this.anchor = this.head = null;
      this.left = null;
    }
    this.host.focusMoved(this);
  }

  /** My own caret sticks to the character before it (the one I just
   *  typed): someone typing at the same spot inserts after my caret, not
   *  between my letters. `null`: the start of the text. */
  private left: [string | null, string | null] | null = null;

  private leftOf(index: number): string | null {
    const at = this.cp(index);
    return at > 0 ? app.client.cursorAt(this.host.url, this.path, at - 1) : null;
  }

  private placeOwnCaret(): boolean {
    if (!this.left) return false;
    try {
      const [a, b] = this.left.map((c) => (c ? this.position(c, 1) : 0));
      this.el.setSelectionRange(Math.min(a, b), Math.max(a, b));
      return true;
    } catch {
      return false;
    }
  }

  /** A remote splice by code points (the client's `splice` patch), put
   *  into the field where it lands: no read of the text, no new value for
   *  the field. False, and nothing changed, when the field's text is not
   *  the one the splice starts from (its length after would differ) or an
   *  input method is composing: the editor then reads the whole value. */
  splice(index: number, remove: number, insert: string, length: number): boolean {
    if (this.composing || index < 0 || remove < 0 || index + remove > this.shownChars) return false;
    const inserted = charIndex(insert, insert.length);
    if (this.shownChars - remove + inserted !== length) return false;
    const from = this.u16(index);
    const to = this.u16(index + remove);
    const focused = document.activeElement === this.el;
    this.shownChars = length;
    this.astral ||= hasAstral(insert);
    this.el.setRangeText(insert, from, to, 'preserve');
    this.el.takeEdits();
    this.changedUnder(focused);
    return true;
  }

  /** After a remote change to the value: my caret back where it belongs
   *  (if I am in this field). */
  private changedUnder(focused: boolean) {
    if (focused && !this.placeOwnCaret() && this.anchor && this.head) this.placeCaret(this.anchor, this.head);
  }

  refresh(value: unknown) {
    const text = typeof value === 'string' ? value : '';
    this.astral = hasAstral(text);
    this.shownChars = charIndex(text, text.length, this.astral);
    if (text === this.el.value) return;
    const focused = document.activeElement === this.el;
    this.el.value = text;
    this.el.takeEdits();
    this.changedUnder(focused);
  }

  /**
   * Puts the selection where the cursors `anchor` and `head` are now in
   * this text; false if they are not cursors of this text.
   */
  placeCaret(anchor: string, head: string): boolean {
    try {
      const a = this.position(anchor);
      const b = this.position(head);
      this.el.setSelectionRange(Math.min(a, b), Math.max(a, b));
      return true;
    } catch {
      return false;
    }
  }

  /** The carets drawn last (drawn again when the lines rewrap). */
  private carets: Caret[] = [];

  /** Draws other people's carets and selections in this field: boxes
   *  placed over the text where the browser laid it out (nothing of the
   *  text copied). */
  drawCarets(carets: Caret[]) {
    this.carets = carets;
    if (carets.length === 0) {
      if (this.overlay.firstChild) this.overlay.replaceChildren();
      return;
    }
    const origin = this.wrap.getBoundingClientRect();
    const box = (r: DOMRect, cls: string, style: string, ...children: Node[]) => {
      const el = h('span', { class: cls, style }, ...children);
      el.style.left = `${r.left - origin.left}px`;
      el.style.top = `${r.top - origin.top}px`;
      el.style.width = `${r.width}px`;
      el.style.height = `${r.height}px`;
      return el;
    };
    const nodes: Node[] = [];
    for (const c of carets) {
      if (c.anchor !== c.head) for (const r of this.el.rects(c.anchor, c.head)) nodes.push(box(r, 'mark', `background:${c.colour}33`));
      const [r] = this.el.rects(c.head, c.head);
      if (r) nodes.push(box(r, 'caret', `border-color:${c.colour}`, h('span', { class: 'caret-name', style: `background:${c.colour}` }, c.name)));
    }
    this.overlay.replaceChildren(...nodes);
  }
}

/**
 * Binds a scalar control to a path: shows the document's value (`show`),
 * and on `change` puts what `value` reads from the control.
 */
function bindScalar<E extends HTMLElement>(host: Host, path: Path, el: E, show: (v: unknown) => void, value: () => unknown): E {
  const [parent, key] = [path.slice(0, -1), path[path.length - 1]];
  show(app.client.read(host.url, path));
  el.addEventListener('change', () => app.client.put(host.url, parent, key, value()));
  host.register({ path, key: pathKey(path), focusable: el, refresh: show });
  return el;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** A select bound to a path; `options` are [value, label]. */
export function selectField(host: Host, path: Path, label: string, options: [string, string][], empty?: string): HTMLSelectElement {
  const el = h('select', { 'aria-label': label, 'data-path': pathKey(path) },
    empty !== undefined ? h('option', { value: '' }, empty) : null,
    options.map(([v, l]) => h('option', { value: v }, l)));
  return bindScalar(host, path, el, (v) => { el.value = text(v); }, () => el.value);
}

/** A date bound to a path (ISO text), shown in the interface's form. */
export function dateField(host: Host, path: Path, label: string): HTMLElement {
  const el = dateInput(label, { 'data-path': pathKey(path) });
  return bindScalar(host, path, el, (v) => { el.value = text(v); }, () => el.value);
}

/** A checkbox bound to a boolean at a path. */
export function checkField(host: Host, path: Path): HTMLInputElement {
  const el = h('input', { type: 'checkbox', 'data-path': pathKey(path) });
  return bindScalar(host, path, el, (v) => { el.checked = v === true; }, () => el.checked);
}

/** A number input bound to a number (or null when empty) at a path. */
export function numberField(host: Host, path: Path, label: string): HTMLInputElement {
  const el = h('input', { type: 'number', inputmode: 'decimal', min: 0, 'aria-label': label, 'data-path': pathKey(path), dir: 'ltr' });
  return bindScalar(host, path, el, (v) => { el.value = typeof v === 'number' ? String(v) : ''; }, () => {
    const n = el.value === '' ? null : Number(el.value);
    return Number.isFinite(n) ? n : null;
  });
}

/** Wraps a control with a visible label. */
export function labelled(text: string, control: HTMLElement, extra?: Node): HTMLElement {
  const id = control.id || uid();
  control.id = id;
  control.removeAttribute('aria-label');
  return h('div', { class: 'row' }, h('label', { for: id }, text), control, extra ?? null);
}
