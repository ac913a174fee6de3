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
// Its children are a `div` per paragraph (the text between two line breaks),
// holding one text node, or a `br` when empty; `lens` holds their lengths.

export class TextBox extends HTMLElement {
  static formAssociated = true;

  /** The text, and the UTF-16 length of each paragraph. */
  private text = '';
  private lens: number[] = [0];
  /** The browser wrote into the paragraphs: `text` reads them back. */
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
      if (e.isTrusted) this.stale = true;
      if (e.isTrusted && !this.composing) this.readBack();
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
    return this.text;
  }

  set value(v: string) {
    this.text = v.replace(/\r\n?/g, '\n');
    this.render();
    this.stale = false;
    this.kept = [this.text.length, this.text.length];
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
    const n = this.value.length;
    const a = Math.max(0, Math.min(n, start));
    const b = Math.max(a, Math.min(n, end));
    if (this.focused()) this.select(a, b);
    else {
      this.kept = [a, b];
      this.keptToApply = true;
    }
  }

  /** A textarea's `setRangeText`: `insert` in place of [start, end), the
   *  selection placed as `mode` says. No `input` event (as a textarea). */
  setRangeText(insert: string, start: number, end: number, mode: 'select' | 'start' | 'end' | 'preserve' = 'preserve') {
    const n = this.value.length;
    const a = Math.max(0, Math.min(n, start));
    const b = Math.max(a, Math.min(n, end));
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

  /** The boxes a range of the text covers on screen (one per line), or the
   *  caret's box where `start === end`. */
  rects(start: number, end: number): DOMRect[] {
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

  /** Every paragraph drawn again from `text`. */
  private render() {
    const paras = this.text.split('\n');
    this.lens = paras.map((p) => p.length);
    this.replaceChildren(...paras.map(para));
  }

  /** The paragraphs read back after the browser wrote into them, and drawn
   *  again if it left them in another shape than ours (not while an input
   *  method composes: that would end its word). */
  private readBack() {
    this.stale = false;
    const parts: string[] = [];
    let canonical = this.childNodes.length > 0;
    for (const c of this.childNodes) {
      parts.push((c.textContent ?? '').replace(/\n/g, ''));
      canonical &&= c instanceof HTMLDivElement && shaped(c);
    }
    const text = parts.join('\n');
    if (canonical) {
      this.text = text;
      this.lens = parts.map((p) => p.length);
      return;
    }
    const [s, e] = this.selection();
    this.text = text;
    if (!this.composing) {
      this.render();
      if (this.focused()) this.select(Math.min(s, text.length), Math.min(e, text.length));
    } else this.lens = parts.map((p) => p.length);
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

  private select(start: number, end: number) {
    const sel = document.getSelection();
    if (!sel) return;
    const [an, ao] = this.pos(start);
    const [fn, fo] = this.pos(end);
    sel.setBaseAndExtent(an, ao, fn, fo);
  }

  /** Where paragraph `k` starts in the text. */
  private start(k: number): number {
    let s = 0;
    for (let i = 0; i < k; i++) s += this.lens[i] + 1;
    return s;
  }

  /** The paragraph holding offset `at`, and the offset in it. */
  private locate(at: number): [number, number] {
    let s = 0;
    const last = this.lens.length - 1;
    for (let k = 0; k < last; k++) {
      if (at <= s + this.lens[k]) return [k, at - s];
      s += this.lens[k] + 1;
    }
    return [last, Math.max(0, Math.min(this.lens[last], at - s))];
  }

  /** A point of the DOM as an offset of the text; -1 outside the element. */
  private offset(node: Node | null, at: number): number {
    if (node === this) return at >= this.lens.length ? this.text.length : this.start(at);
    let p = node;
    while (p && p.parentNode !== this) p = p.parentNode;
    if (!p || !node) return -1;
    const k = Array.prototype.indexOf.call(this.childNodes, p) as number;
    const base = this.start(k);
    if (node.nodeType === Node.TEXT_NODE) return base + Math.min(at, this.lens[k]);
    return base + (at === 0 ? 0 : this.lens[k]);
  }

  /** An offset of the text as a point of the DOM. */
  private pos(at: number): [Node, number] {
    this.ready();
    const [k, i] = this.locate(at);
    const p = this.childNodes[k];
    return this.lens[k] === 0 || !p.firstChild || p.firstChild.nodeType !== Node.TEXT_NODE ? [p, 0] : [p.firstChild, i];
  }

  /** [a, b) of the text replaced by `insert`: within one paragraph, its
   *  text node edited; across line breaks, the paragraphs it spans drawn
   *  again. */
  private replace(a: number, b: number, insert: string) {
    this.ready();
    this.text = this.text.slice(0, a) + insert + this.text.slice(b);
    const [ka, ia] = this.locate(a);
    const [kb, ib] = this.locate(b);
    const p = this.childNodes[ka] as HTMLElement;
    if (ka === kb && !insert.includes('\n') && shaped(p)) {
      const len = this.lens[ka] - (ib - ia) + insert.length;
      const t = p.firstChild;
      if (t instanceof Text && len > 0) t.replaceData(ia, ib - ia, insert);
      else p.replaceChildren(len > 0 ? insert : document.createElement('br'));
      this.lens[ka] = len;
      return;
    }
    const old = this.childNodes[ka].textContent ?? '';
    const end = this.childNodes[kb].textContent ?? '';
    const paras = (old.slice(0, ia) + insert + end.slice(ib)).split('\n');
    const next = this.childNodes[kb].nextSibling;
    for (let k = kb; k >= ka; k--) this.childNodes[k].remove();
    const nodes = paras.map(para);
    if (next) for (const n of nodes) this.insertBefore(n, next);
    else this.append(...nodes);
    this.lens.splice(ka, kb - ka + 1, ...paras.map((x) => x.length));
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
      const pair = (i: number) => /[\uD800-\uDBFF]/.test(this.text[i] ?? '') && /[\uDC00-\uDFFF]/.test(this.text[i + 1] ?? '');
      if (kind.endsWith('Backward')) a = Math.max(0, a - (a >= 2 && pair(a - 2) ? 2 : 1));
      else if (kind.endsWith('Forward')) b = Math.min(this.text.length, b + (pair(b) ? 2 : 1));
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
