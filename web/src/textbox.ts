// `<codraft-text>`: an editable plain text shown as one block per
// paragraph. A textarea holds its text in one block, and Chromium lays that
// block out again on every change: 10 ms per keystroke, one's own or a
// peer's, at 50,000 characters (BENCHMARKS.md). Here a change lays out the
// paragraph it touches.
//
// The element offers the part of a textarea's interface the fields use —
// `value`, `selectionStart` / `selectionEnd` (UTF-16 offsets, as a
// textarea's), `setSelectionRange`, `setRangeText`, `readOnly` — and fires
// `input` after each edit, as a textarea does. It makes every edit itself
// from `beforeinput` (the browser's own editing of a contenteditable element
// adds and splits elements at will); what the browser writes anyway (an
// input method's composition, an edit it would not let be cancelled) is read
// back from the paragraphs once it is done.
//
// Its children are groups of up to GROUP paragraphs, each a `div`; in them a
// `div` per paragraph (the text between two line breaks), holding one text
// node, or a `br` when empty; `paras` holds their texts. Chromium's layout
// of a block walks all its children, so a block of 1,650 paragraphs costs
// it 1.2 ms per keystroke; in groups, a keystroke's layout walks its group
// and the groups. (Groups out of view are not skipped with
// `content-visibility`: tried, it lost keystrokes typed into a field just
// drawn; BENCHMARKS.md, 2026-12-06 (afternoon).)
// The whole text is joined only when asked for (`value`): an edit costs the
// length of its paragraph, not of the text. Every change, made here or
// through the interface, is recorded as a splice for the field to take
// (`takeEdits`), so the field never compares two whole texts.

import { spliceOf } from './chars';

/** A change of the text: at UTF-16 offset `at`, `removed` gave way to
 *  `insert`. */
export interface Edit {
  at: number;
  removed: string;
  insert: string;
}

/** Paragraphs per group, when drawn; a group that grows past twice this
 *  is split. */
const GROUP = 32;

/** Edits kept for the field at most; past that it reads the whole value. */
const MAX_EDITS = 64;

export class TextBox extends HTMLElement {
  static formAssociated = true;

  /** Each paragraph's text; the whole text once joined, and its length. */
  private paras: string[] = [''];
  private joined: string | null = '';
  private total = 0;
  /** The changes since the field last took them; null: too many. */
  private edits: Edit[] | null = [];
  /** The browser wrote into the paragraphs: they are read back. */
  private stale = false;
  private composing = false;
  private ro = false;
  /** The selection while the element has no focus (a textarea keeps it). */
  private kept: [number, number] = [0, 0];
  private keptToApply = false;

  private internals: ElementInternals | null = null;

  constructor() {
    super();
    try {
      this.internals = this.attachInternals();
    } catch {
      /* a browser without form-associated elements: still a text box */
    }
    this.addEventListener('beforeinput', (e) => this.beforeInput(e as InputEvent));
    // A trusted `input` is the browser's own edit (ours are dispatched).
    this.addEventListener('input', (e) => {
      if (!e.isTrusted) return;
      this.stale = true;
      if (!this.composing) this.readBack();
    });
    this.addEventListener('compositionstart', () => (this.composing = true));
    this.addEventListener('compositionend', () => {
      this.composing = false;
      this.readBack();
    });
    this.addEventListener('focus', () => {
      if (!this.keptToApply) return;
      this.keptToApply = false;
      this.select(...this.kept);
    });
    this.addEventListener('blur', () => (this.kept = this.selectionIn() ?? this.kept));
  }

  connectedCallback() {
    this.ready();
    this.setAttribute('role', 'textbox');
    this.setAttribute('aria-multiline', 'true');
    this.editable();
  }

  /** The labels naming it (`<label for>`), as a textarea's. */
  get labels(): NodeList | null {
    return this.internals?.labels ?? null;
  }

  get value(): string {
    if (this.stale) this.readBack();
    this.joined ??= this.paras.join('\n');
    return this.joined;
  }

  set value(v: string) {
    const before = this.value;
    const text = v.replace(/\r\n?/g, '\n');
    this.record(before, text);
    this.paras = text.split('\n');
    this.joined = text;
    this.total = text.length;
    this.render();
    this.kept = [text.length, text.length];
  }

  /** The text's length in UTF-16 units, without joining it. */
  get textLength(): number {
    if (this.stale) this.readBack();
    return this.total;
  }

  /** The changes made since the last call, in order; null when there were
   *  too many to keep (then compare the whole value). */
  takeEdits(): Edit[] | null {
    const e = this.edits;
    this.edits = [];
    return e;
  }

  /** A change recorded: the one splice from `before` to `after` (for
   *  whole texts: a new value, what the browser wrote). */
  private record(before: string, after: string) {
    const { at, remove, insert } = spliceOf(before, after);
    if (remove > 0 || insert) this.note({ at, removed: before.slice(at, at + remove), insert });
  }

  private note(e: Edit) {
    if (this.edits && this.edits.length < MAX_EDITS) this.edits.push(e);
    else this.edits = null;
  }

  /** Shown while the text is empty, as a textarea's. */
  get placeholder(): string {
    return this.getAttribute('aria-placeholder') ?? '';
  }

  set placeholder(p: string) {
    this.setAttribute('aria-placeholder', p);
  }

  get readOnly(): boolean {
    return this.ro;
  }

  set readOnly(ro: boolean) {
    this.ro = ro;
    if (ro) this.setAttribute('aria-readonly', 'true');
    else this.removeAttribute('aria-readonly');
    if (this.isConnected) this.editable();
  }

  get selectionStart(): number {
    return this.selection()[0];
  }

  get selectionEnd(): number {
    return this.selection()[1];
  }

  setSelectionRange(start: number, end: number) {
    const [a, b] = this.within(start, end);
    if (this.focused()) this.select(a, b);
    else {
      this.kept = [a, b];
      this.keptToApply = true;
    }
  }

  /** A textarea's `setRangeText`: `insert` in place of [start, end), the
   *  selection placed as `mode` says. No `input` event (as a textarea). */
  setRangeText(insert: string, start: number, end: number, mode: 'select' | 'start' | 'end' | 'preserve' = 'preserve') {
    const [a, b] = this.within(start, end);
    insert = insert.replace(/\r\n?/g, '\n');
    const focused = this.focused();
    const [s, e] = this.selection();
    this.replace(a, b, insert);
    const after = a + insert.length;
    let sel: [number, number];
    if (mode === 'select') sel = [a, after];
    else if (mode === 'start') sel = [a, a];
    else if (mode === 'end') sel = [after, after];
    else {
      const delta = insert.length - (b - a);
      const move = (x: number, end: boolean) => (x > b ? x + delta : x > a ? (end ? after : a) : x);
      sel = [move(s, false), move(e, true)];
    }
    if (focused) this.select(...sel);
    else this.kept = sel;
  }

  /** [start, end] clamped to the text, in order. */
  private within(start: number, end: number): [number, number] {
    const n = this.textLength;
    const a = Math.max(0, Math.min(n, start));
    return [a, Math.max(a, Math.min(n, end))];
  }

  /** The boxes a range of the text covers on screen (one per line), or the
   *  caret's box where `start === end` (offsets clamped to the text). */
  rects(from: number, to: number): DOMRect[] {
    const [start, end] = this.within(Math.min(from, to), Math.max(from, to));
    const r = document.createRange();
    const [sn, so] = this.pos(start);
    const [en, eo] = this.pos(end);
    r.setStart(sn, so);
    r.setEnd(en, eo);
    const rs = [...r.getClientRects()].filter((x) => x.height > 0);
    if (rs.length > 0 || start !== end) return rs;
    // An empty paragraph has no text to measure: its own box.
    const p = sn.nodeType === Node.TEXT_NODE ? sn.parentElement! : (sn as Element);
    const b = p.getBoundingClientRect();
    return [new DOMRect(b.x, b.y, 0, b.height)];
  }

  private editable() {
    const mode = this.ro ? 'false' : PLAINTEXT ? 'plaintext-only' : 'true';
    if (this.getAttribute('contenteditable') !== mode) this.setAttribute('contenteditable', mode);
    // Read-only, it can still be focused and its text selected.
    if (this.ro) this.setAttribute('tabindex', '0');
    else this.removeAttribute('tabindex');
  }

  private focused(): boolean {
    return document.activeElement === this;
  }

  /** Every paragraph drawn again from `paras`. */
  private render() {
    const groups: HTMLDivElement[] = [];
    for (let k = 0; k < this.paras.length; k += GROUP) groups.push(group(this.paras.slice(k, k + GROUP).map(para)));
    this.replaceChildren(...groups);
  }

  /** The paragraphs read back after the browser wrote into them (the
   *  change recorded), and drawn again if it left them in another shape
   *  than ours (not while an input method composes: that would end its
   *  word). */
  private readBack() {
    this.stale = false;
    const before = this.paras.join('\n');
    const parts: string[] = [];
    let canonical = this.childNodes.length > 0;
    for (const g of this.childNodes) {
      const ps = parasOf(g);
      canonical &&= isGroup(g) && ps.length === g.childNodes.length;
      for (const c of ps) {
        parts.push((c.textContent ?? '').replace(/\n/g, ''));
        canonical &&= c instanceof HTMLDivElement && shaped(c);
      }
    }
    const [s, e] = this.selection();
    this.paras = parts.length > 0 ? parts : [''];
    this.joined = null;
    const after = this.value;
    this.total = after.length;
    this.record(before, after);
    if (canonical || this.composing) return;
    this.render();
    if (this.focused()) this.select(Math.min(s, after.length), Math.min(e, after.length));
  }

  /** [start, end] of the selection, as offsets of the text. */
  private selection(): [number, number] {
    if (this.stale) this.readBack();
    return (this.focused() && this.selectionIn()) || this.kept;
  }

  /** The document's selection, where it is in this element. */
  private selectionIn(): [number, number] | null {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || !this.contains(sel.anchorNode)) return null;
    const r = sel.getRangeAt(0);
    const a = this.offset(r.startContainer, r.startOffset);
    const b = this.offset(r.endContainer, r.endOffset);
    return a < 0 || b < 0 ? null : [Math.min(a, b), Math.max(a, b)];
  }

  /** The paragraphs drawn, once (not in the constructor: an element made
   *  by `createElement` may not have children yet). */
  private ready() {
    if (this.childNodes.length === 0) this.render();
  }

  /** The selection set to [start, end] — unless it is there already: a
   *  text node's edit moves the document's selection as a textarea's
   *  `preserve` would (the DOM's own range rules), and setting it again
   *  costs Chromium 0.6 ms and a layout. */
  private select(start: number, end: number) {
    const sel = document.getSelection();
    if (!sel) return;
    const [an, ao] = this.pos(start);
    const [fn, fo] = this.pos(end);
    if (sel.rangeCount > 0 && sel.anchorNode === an && sel.anchorOffset === ao && sel.focusNode === fn && sel.focusOffset === fo) return;
    sel.setBaseAndExtent(an, ao, fn, fo);
  }

  /** Where paragraph `k` starts in the text. */
  private start(k: number): number {
    let s = 0;
    for (let i = 0; i < k; i++) s += this.paras[i].length + 1;
    return s;
  }

  /** The paragraph holding offset `at`, and the offset in it. */
  private locate(at: number): [number, number] {
    let s = 0;
    const last = this.paras.length - 1;
    for (let k = 0; k < last; k++) {
      if (at <= s + this.paras[k].length) return [k, at - s];
      s += this.paras[k].length + 1;
    }
    return [last, Math.max(0, Math.min(this.paras[last].length, at - s))];
  }

  /** A point of the DOM as an offset of the text; -1 outside the element. */
  private offset(node: Node | null, at: number): number {
    if (!node) return -1;
    if (node === this) {
      const g = this.childNodes[at];
      return g ? this.start(this.first(g)) : this.total;
    }
    if (node.parentNode === this && isGroup(node)) {
      // Between two paragraphs of a group: the start of the one after,
      // or the end of the group's last.
      const ps = parasOf(node);
      const k = this.first(node) + Math.min(at, ps.length);
      if (k >= this.paras.length) return this.total;
      return at < ps.length ? this.start(k) : this.start(k - 1) + this.paras[k - 1].length;
    }
    // The paragraph holding the point: a group's child, or a node the
    // browser put at the top (one paragraph, as `readBack` reads it).
    let p: Node | null = node;
    const inGroup = (n: Node) => !!n.parentNode && n.parentNode.parentNode === this && isGroup(n.parentNode);
    while (p && p.parentNode !== this && !inGroup(p)) p = p.parentNode;
    if (!p) return -1;
    const i = inGroup(p) ? indexIn(p.parentNode!, p) : 0;
    if (i < 0) return -1;
    const k = (inGroup(p) ? this.first(p.parentNode!) : this.first(p)) + i;
    const base = this.start(k);
    const len = this.paras[k]?.length ?? 0;
    if (node.nodeType === Node.TEXT_NODE) return base + Math.min(at, len);
    return base + (at === 0 ? 0 : len);
  }

  /** An offset of the text as a point of the DOM. */
  private pos(at: number): [Node, number] {
    this.ready();
    const [k, i] = this.locate(at);
    const p = this.block(k);
    return this.paras[k].length === 0 || !p.firstChild || p.firstChild.nodeType !== Node.TEXT_NODE ? [p, 0] : [p.firstChild, i];
  }

  /** [a, b) of the text replaced by `insert` (and recorded): within one
   *  paragraph, its text node edited; across line breaks, the paragraphs
   *  it spans drawn again. */
  private replace(a: number, b: number, insert: string) {
    this.ready();
    const [ka, ia] = this.locate(a);
    const [kb, ib] = this.locate(b);
    const removed = ka === kb ? this.paras[ka].slice(ia, ib) : [this.paras[ka].slice(ia), ...this.paras.slice(ka + 1, kb), this.paras[kb].slice(0, ib)].join('\n');
    this.note({ at: a, removed, insert });
    this.joined = null;
    this.total += insert.length - (b - a);
    const p = this.block(ka);
    if (ka === kb && !insert.includes('\n') && shaped(p)) {
      const text = this.paras[ka].slice(0, ia) + insert + this.paras[ka].slice(ib);
      this.paras[ka] = text;
      const t = p.firstChild;
      if (t instanceof Text && text) t.replaceData(ia, ib - ia, insert);
      else p.replaceChildren(text || document.createElement('br'));
      return;
    }
    const paras = (this.paras[ka].slice(0, ia) + insert + this.paras[kb].slice(ib)).split('\n');
    const old: Element[] = [p];
    for (let k = ka + 1, b: Element | null = p; k <= kb; k++) {
      b = b.nextElementSibling ?? b.parentElement!.nextElementSibling!.firstElementChild!;
      old.push(b);
    }
    const g = p.parentElement!;
    for (const n of paras.map(para)) g.insertBefore(n, p);
    for (const b of old) {
      const from = b.parentElement!;
      b.remove();
      if (!from.firstChild) from.remove();
    }
    // A group grown past twice its size is split, so no group's layout
    // grows with the text.
    for (let cur = g; cur.childNodes.length > 2 * GROUP; ) {
      const rest = group([...cur.childNodes].slice(GROUP));
      cur.after(rest);
      cur = rest;
    }
    this.paras.splice(ka, kb - ka + 1, ...paras);
  }

  /** Paragraph `k`'s block. */
  private block(k: number): HTMLElement {
    for (const g of this.childNodes) {
      const n = count(g);
      if (k < n) return (inShape(g) ? g.childNodes[k] : parasOf(g)[k]) as HTMLElement;
      k -= n;
    }
    throw new Error('no such paragraph');
  }

  /** The index of the first paragraph of `g`, a child of the box. */
  private first(g: Node): number {
    let k = 0;
    for (let c = g.previousSibling; c; c = c.previousSibling) k += count(c);
    return k;
  }

  /** An edit the browser asks to make, made here instead. */
  private beforeInput(e: InputEvent) {
    if (e.defaultPrevented) return;
    const kind = e.inputType;
    // The page's undo (undo.ts) takes these at the root.
    if (kind === 'historyUndo' || kind === 'historyRedo') return e.preventDefault();
    // An input method's words, and whatever cannot be stopped: the
    // browser writes them, read back on `input`.
    if (!e.cancelable || kind.includes('Composition') || e.isComposing) return;
    e.preventDefault();
    if (this.ro || kind.startsWith('format')) return;
    let insert = '';
    if (kind === 'insertParagraph' || kind === 'insertLineBreak') insert = '\n';
    else if (kind.startsWith('insert')) insert = (e.data ?? e.dataTransfer?.getData('text/plain') ?? '').replace(/\r\n?/g, '\n');
    let [a, b] = this.selection();
    const target = e.getTargetRanges()[0];
    if (target) {
      const [x, y] = [this.offset(target.startContainer, target.startOffset), this.offset(target.endContainer, target.endOffset)];
      if (x >= 0 && y >= 0) [a, b] = [Math.min(x, y), Math.max(x, y)];
    }
    if (a === b && kind.startsWith('delete')) {
      // No range given: one character (a surrogate pair whole).
      const [k, i] = this.locate(a);
      const t = this.paras[k];
      const pair = (i: number) => /[\uD800-\uDBFF]/.test(t[i] ?? '') && /[\uDC00-\uDFFF]/.test(t[i + 1] ?? '');
      if (kind.endsWith('Backward')) a = Math.max(0, a - (i >= 2 && pair(i - 2) ? 2 : 1));
      else if (kind.endsWith('Forward')) b = Math.min(this.total, b + (pair(i) ? 2 : 1));
    }
    if (a === b && insert === '') return;
    this.replace(a, b, insert);
    this.select(a + insert.length, a + insert.length);
    this.reveal();
    this.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: kind, data: e.data }));
  }

  /** The caret scrolled into view after an edit, as the browser's own
   *  editing does. */
  private reveal() {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0) return;
    const r = sel.getRangeAt(0).getBoundingClientRect();
    if (r.height === 0) return;
    if (r.bottom > window.innerHeight) window.scrollBy(0, r.bottom - window.innerHeight + 8);
    else if (r.top < 0) window.scrollBy(0, r.top - 8);
  }
}

/** A paragraph's block: its text, or a line break to give it a height. */
function para(text: string): HTMLDivElement {
  const d = document.createElement('div');
  d.dir = 'auto';
  d.append(text || document.createElement('br'));
  return d;
}

/** A child of the box that is a group: a `div` of `div`s (a paragraph's
 *  block holds a text node or a `br`, never a `div`). */
function isGroup(n: Node): n is HTMLDivElement {
  if (!(n instanceof HTMLDivElement)) return false;
  for (let c = n.firstChild; c; c = c.nextSibling) if (c instanceof HTMLDivElement) return true;
  return false;
}

/** Whether a child of a group stands for a paragraph (`parasOf`'s rule):
 *  an element, or text the browser wrote there. */
function counted(c: Node): boolean {
  return c.nodeType === Node.ELEMENT_NODE || (c.textContent ?? '') !== '';
}

/** Where `p`, a child of group `g`, is among `parasOf(g)` (-1 if it stands
 *  for none), counted without listing them: this runs on every keystroke. */
function indexIn(g: Node, p: Node): number {
  if (p.parentNode !== g || !counted(p)) return -1;
  let i = 0;
  for (let c = p.previousSibling; c; c = c.previousSibling) if (counted(c)) i++;
  return i;
}

/** The paragraphs a child of the box stands for, as `readBack` reads them:
 *  a group's elements (and any text the browser put between them, a
 *  paragraph each), or any other node, as one. */
function parasOf(n: Node): ChildNode[] {
  if (!isGroup(n)) return [n as ChildNode];
  if (n.childNodes.length === n.childElementCount) return [...n.children];
  return [...n.childNodes].filter(counted);
}

/** How many paragraphs a child of the box stands for (`parasOf`), without
 *  listing them when it is in shape. */
function count(n: Node): number {
  return inShape(n) ? n.childElementCount : parasOf(n).length;
}

/** A group as drawn: blocks only, so its paragraphs are its children. */
function inShape(n: Node): n is HTMLDivElement {
  return n instanceof HTMLDivElement && n.childNodes.length === n.childElementCount && n.firstChild instanceof HTMLDivElement;
}

/** A group of paragraphs' blocks. */
function group(paras: Node[]): HTMLDivElement {
  const g = document.createElement('div');
  g.append(...paras);
  return g;
}

/** A paragraph in our shape: one text node, or one `br`. */
function shaped(p: Node): boolean {
  const c = p.firstChild;
  return !!c && c === p.lastChild && (c instanceof Text ? c.length > 0 : c.nodeName === 'BR');
}

/** Chromium, Safari and recent Firefox take `plaintext-only`. */
const PLAINTEXT = (() => {
  try {
    const d = document.createElement('div');
    d.contentEditable = 'plaintext-only';
    return d.contentEditable === 'plaintext-only';
  } catch {
    return false;
  }
})();

if (!customElements.get('codraft-text')) customElements.define('codraft-text', TextBox);

declare global {
  interface HTMLElementTagNameMap {
    'codraft-text': TextBox;
  }
}
