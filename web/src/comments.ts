// The comments panel of a card: threads on a passage, a field or a row,
// replies, one's own edits and deletions, resolving, and suggestions —
// proposed rewordings shown inline (deletion struck through, insertion
// underlined, in the suggester's colour with their name) that
// co-coordinators and the suggester accept or reject. Threads live in the
// card's comments document, which only the server writes: this page
// syncs it read-only to hear of every change at once and goes through the
// API for everything it does.

import { app } from './app';
import { api } from './api';
import type { CommentsView, Comment, NewThread, ThreadView } from './comments-api';
import { h } from './dom';
import { colourOf, fieldName } from './diffview';
import { errorText } from './errors';
import { t, UiKey } from './i18n';
import { when } from './review';
import type { TextField } from './fields';
import { TextBox } from './textbox';

/** A passage chosen in a text field: its field name and UTF-16 range. */
export interface Selection {
  field: string;
  start: number;
  end: number;
  text: string;
}

export interface CommentsHost {
  url: string;
  /** The editor's root (typing in suggestion mode is caught there). */
  el: HTMLElement;
  texts: Map<string, TextField>;
  /** The last passage chosen in a text field. */
  selection: Selection | null;
  /** The last text field focused. */
  lastField: string | null;
  /** May propose rewordings (a member or co-coordinator, card not locked). */
  canSuggest(): boolean;
  /** Co-coordinates the card's group (or administers the site). */
  coordinator(): boolean;
}

/** The element of class `cls` placed right after a field's box, if any. */
function beside(wrap: HTMLElement, cls: string): HTMLElement | null {
  for (let n = wrap.nextElementSibling; n && (n.classList.contains('comment-count') || n.classList.contains('inline-suggestions')); n = n.nextElementSibling) {
    if (n.classList.contains(cls)) return n as HTMLElement;
  }
  return null;
}

type Filter = 'open' | 'resolved' | 'mine' | 'mentions' | 'all';

/** A text field's name for the API: its path without the trailing `text`. */
export function fieldOf(path: (string | number)[]): string {
  const p = path.map(String);
  if (p.length >= 2 && p[p.length - 1] === 'text') p.pop();
  return p.join('/');
}

export class CommentsPanel {
  el: HTMLElement;
  view: CommentsView | null = null;
  private body: HTMLElement;
  private composerEl: HTMLElement;
  private filter: Filter = 'open';
  private field: string | null = null;
  suggesting = false;
  private timer = 0;
  private off: () => void;
  private synced: string | null = null;

  constructor(private host: CommentsHost) {
    this.body = h('div', { class: 'threads', 'aria-live': 'polite' });
    this.composerEl = h('div', { class: 'composer-host' });
    this.el = h('section', { class: 'panel comments', 'aria-labelledby': 'sec-comments' });
    this.off = app.on((e) => {
      if (e.type !== 'change') return;
      if (e.url === this.synced) this.refreshSoon(50);
      // Typing moves anchors: their places are read again after a pause,
      // and only if there is a thread to place (each reading costs the
      // server a pass over the card).
      else if (e.url === host.url && (this.view?.threads.length ?? 0) > 0) this.refreshSoon(3000);
    });
    // In suggestion mode, typing into a text proposes instead of editing.
    host.el.addEventListener('beforeinput', (e) => this.caught(e as InputEvent), true);
    this.draw();
  }

  destroy() {
    this.off();
    clearTimeout(this.timer);
    if (this.synced) {
      try {
        app.client.close(this.synced);
      } catch {
        /* closed */
      }
    }
  }

  private path(what = '') {
    return `/api/documents/${encodeURIComponent(this.host.url)}/comments${what}`;
  }

  refreshSoon(ms: number) {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.refresh(), ms);
  }

  async refresh(): Promise<void> {
    try {
      this.view = await api<CommentsView>('GET', this.path());
    } catch (e) {
      this.body.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    if (this.synced !== this.view.doc) {
      this.synced = this.view.doc;
      app.client.open(this.view.doc).catch(() => undefined);
    }
    this.drawThreads();
    this.drawFields();
  }

  /** The panel's frame: title, actions, filters. */
  private draw() {
    const filter = h('select', { 'aria-label': t('comments') },
      (['open', 'resolved', 'mine', 'mentions', 'all'] as Filter[]).map((f) => h('option', { value: f }, t(`filter.${f}` as UiKey))));
    filter.value = this.filter;
    filter.addEventListener('change', () => {
      this.filter = filter.value as Filter;
      this.drawThreads();
    });
    const onSel = h('button', { type: 'button', class: 'comment-selection' }, t('commentOnSelection'));
    onSel.addEventListener('click', () => this.compose(false));
    const mode = h('input', { type: 'checkbox', class: 'suggest-mode' });
    mode.checked = this.suggesting;
    mode.addEventListener('change', () => {
      this.suggesting = mode.checked;
      this.host.el.classList.toggle('suggesting', this.suggesting);
    });
    const modeBox = h('label', { class: 'check', title: t('suggestHelp') }, mode, t('suggestMode'));
    modeBox.hidden = !this.host.canSuggest();
    this.el.replaceChildren(
      h('h2', { id: 'sec-comments' }, t('comments')),
      h('div', { class: 'comment-actions' }, onSel, modeBox, filter),
      this.composerEl,
      this.body,
    );
  }

  /** Redraws the frame (the card was locked or unlocked). */
  redraw() {
    if (!this.host.canSuggest()) this.suggesting = false;
    this.host.el.classList.toggle('suggesting', this.suggesting);
    this.draw();
    this.drawThreads();
  }

  private caught(e: InputEvent) {
    if (!this.suggesting || !this.host.canSuggest()) return;
    const el = e.target as HTMLElement;
    if (!(el instanceof TextBox) || !el.dataset.path) return;
    const field = [...this.host.texts.values()].find((f) => f.el === el);
    if (!field) return;
    e.preventDefault();
    let [start, end] = [el.selectionStart, el.selectionEnd];
    if (start === end) {
      // The word at the caret.
      while (start > 0 && !/\s/.test(el.value[start - 1])) start--;
      while (end < el.value.length && !/\s/.test(el.value[end])) end++;
    }
    if (start === end) return;
    const text = el.value.slice(start, end);
    const typed = e.inputType === 'insertText' || e.inputType === 'insertFromPaste' ? e.data ?? '' : '';
    const replaced = el.selectionStart !== el.selectionEnd ? typed : text + typed;
    this.host.selection = { field: fieldOf(field.path), start, end, text };
    this.compose(true, replaced);
  }

  /** The form for a new thread on the last chosen passage. */
  compose(suggestion: boolean, replacement?: string, anchorField?: string) {
    // A passage chosen in the field last used; else that whole field.
    const sel = anchorField ? null : this.host.selection;
    if (!sel && !anchorField && !suggestion && this.host.lastField) anchorField = this.host.lastField;
    const msg = h('p', { class: 'error', role: 'alert' });
    if (!sel && !anchorField) {
      this.composerEl.replaceChildren(h('p', { class: 'hint', role: 'alert' }, t('selectFirst')));
      return;
    }
    const quote = anchorField ? fieldName(anchorField, this.host.url) : sel!.text;
    const body = h('textarea', { rows: 2, dir: 'auto', 'aria-label': suggestion ? t('why') : t('yourComment'), placeholder: suggestion ? t('why') : t('yourComment') });
    const repl = h('textarea', { rows: 2, dir: 'auto', class: 'replacement', 'aria-label': t('replacement') });
    repl.value = replacement ?? sel?.text ?? '';
    const send = h('button', { type: 'submit' }, suggestion ? t('suggest') : t('post'));
    const cancel = h('button', { type: 'button' }, t('cancel'));
    cancel.addEventListener('click', () => this.composerEl.replaceChildren());
    const form = h('form', { class: `composer ${suggestion ? 'suggesting' : ''}`, novalidate: true },
      h('blockquote', { dir: 'auto' }, quote),
      suggestion ? h('label', {}, t('replacement'), repl) : null,
      body, h('div', { class: 'buttons' }, send, cancel), msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      send.disabled = true;
      const anchor: NewThread['anchor'] = anchorField
        ? { kind: anchorField.match(/\/\d+$/) ? 'row' : 'field', field: anchorField }
        : { kind: 'text', field: sel!.field, start: sel!.start, end: sel!.end };
      const req: NewThread = { anchor, body: body.value, replacement: suggestion ? repl.value : null };
      try {
        await api('POST', this.path(), req);
        this.composerEl.replaceChildren();
        await this.refresh();
      } catch (e) {
        msg.textContent = errorText(e);
        send.disabled = false;
      }
    });
    this.composerEl.replaceChildren(form);
    (suggestion ? repl : body).focus();
  }

  private shown(v: ThreadView): boolean {
    const me = app.account!.user.id;
    const t = v;
    if (this.field && v.placement.field !== this.field) return false;
    switch (this.filter) {
      case 'open': return t.status === 'open';
      case 'resolved': return t.status !== 'open';
      case 'mine': return t.author.id === me || t.comments.some((c) => c.author.id === me);
      case 'mentions': return t.comments.some((c) => c.mentions.includes(me));
      default: return true;
    }
  }

  private drawThreads() {
    if (!this.view) return;
    const list = this.view.threads.filter((v) => this.shown(v)).reverse();
    const items: HTMLElement[] = [];
    if (this.field) {
      const all = h('button', { type: 'button', class: 'link' }, `${fieldName(this.field, this.host.url)} ✕`);
      all.addEventListener('click', () => {
        this.field = null;
        this.drawThreads();
      });
      items.push(h('p', { class: 'field-filter' }, `${t('filterField')}: `, all));
    }
    if (list.length === 0) items.push(h('p', { class: 'empty' }, t('noComments')));
    for (const v of list) items.push(this.thread(v));
    this.body.replaceChildren(...items);
  }

  /** Someone's name in their colour. */
  private who(p: { id: string; name: string }) {
    return h('bdi', { class: 'author', style: `color:${colourOf(p.id)}` }, p.name);
  }

  /** A suggestion in its context: before, the passage struck through,
   *  the proposal underlined, after. */
  suggestionDiff(v: ThreadView): HTMLElement {
    const t0 = v;
    const colour = colourOf(t0.author.id);
    const field = this.host.texts.get(this.keyOf(v.placement.field));
    const whole = field?.el.value ?? '';
    const p = v.placement;
    const before = p.orphaned ? '' : whole.slice(Math.max(0, p.start - 40), p.start);
    const after = p.orphaned ? '' : whole.slice(p.end, p.end + 40);
    return h('p', { class: 'suggestion-diff', dir: 'auto' },
      before ? `…${before}` : '',
      h('del', { style: `text-decoration-color:${colour}`, title: t0.author.name }, t0.anchor.quote),
      ' ',
      h('ins', { style: `text-decoration-color:${colour};color:${colour}`, title: t0.author.name }, t0.replacement),
      after ? `${after}…` : '');
  }

  private keyOf(field: string): string {
    for (const [k, f] of this.host.texts) if (fieldOf(f.path) === field) return k;
    return field;
  }

  private thread(v: ThreadView): HTMLElement {
    const me = app.account!.user.id;
    const th = v;
    const msg = h('p', { class: 'error', role: 'alert' });
    const act = async (method: string, what: string, body?: unknown) => {
      msg.textContent = '';
      try {
        await api(method, this.path(what), body);
        await this.refresh();
      } catch (e) {
        msg.textContent = errorText(e);
      }
    };
    const button = (key: UiKey, f: () => void) => {
      const b = h('button', { type: 'button' }, t(key));
      b.addEventListener('click', f);
      return b;
    };
    const suggestion = th.kind === 'suggestion';
    const head = h('div', { class: 'thread-head' },
      h('span', { class: `badge status-${th.status}` }, t(`status.${th.status}` as UiKey)),
      ' ', h('span', { class: 'where' }, fieldName(v.placement.field, this.host.url)));
    const notes: HTMLElement[] = [];
    if (v.placement.orphaned) notes.push(h('p', { class: 'orphaned' }, t('orphaned')));
    else if (suggestion && v.placement.stale && th.status === 'open') notes.push(h('p', { class: 'stale' }, t('stale')));
    const quote = suggestion
      ? h('div', {}, h('p', { class: 'suggested-by' }, `${t('suggestedBy')} `, this.who(th.author)), this.suggestionDiff(v))
      : h('blockquote', { dir: 'auto', class: v.placement.orphaned ? 'orphaned-quote' : '' }, th.anchor.quote);
    const comments = th.comments.filter((c) => c.body || c.deleted).map((c) => this.comment(c, th.id, act));
    const actions: HTMLElement[] = [];
    if (suggestion && th.status === 'open') {
      const coordinator = this.host.coordinator();
      if ((coordinator || th.author.id === me) && this.host.canSuggest()) actions.push(button('accept', () => void act('POST', `/${th.id}/accept`)));
      if (coordinator || th.author.id === me) actions.push(button(th.author.id === me ? 'withdrawSuggestion' : 'reject', () => void act('POST', `/${th.id}/reject`)));
    } else if (!suggestion) {
      actions.push(th.status === 'open'
        ? button('resolve', () => void act('POST', `/${th.id}/status`, { status: 'resolved' }))
        : button('reopen', () => void act('POST', `/${th.id}/status`, { status: 'open' })));
    }
    if (th.decided_by && th.status !== 'open') {
      notes.push(h('p', { class: 'decided' }, `${t(`status.${th.status}` as UiKey)} — `, this.who(th.decided_by), ` · ${when(th.decided_ms ?? 0)}`));
    }
    const reply = h('textarea', { rows: 1, dir: 'auto', 'aria-label': t('reply'), placeholder: t('reply') });
    const send = h('button', { type: 'submit' }, t('reply'));
    const form = h('form', { class: 'reply', novalidate: true }, reply, send);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (reply.value.trim()) void act('POST', `/${th.id}/replies`, { body: reply.value });
    });
    return h('article', { class: `thread ${th.status}`, 'data-thread': th.id },
      head, quote, ...notes, ...comments, h('div', { class: 'buttons' }, ...actions), form, msg);
  }

  private comment(c: Comment, thread: string, act: (m: string, w: string, b?: unknown) => Promise<void>): HTMLElement {
    const mine = c.author.id === app.account!.user.id;
    if (c.deleted) return h('p', { class: 'comment deleted' }, t('commentDeleted'));
    const text = h('p', { class: 'comment-body', dir: 'auto' }, c.body);
    const el = h('div', { class: 'comment', 'data-comment': c.id },
      h('p', { class: 'comment-meta' }, this.who(c.author), ` · ${when(c.created_ms)} `, c.edited_ms ? t('editedMark') : ''),
      text);
    if (mine) {
      const edit = h('button', { type: 'button', class: 'link' }, t('edit'));
      edit.addEventListener('click', () => {
        const box = h('textarea', { rows: 2, dir: 'auto', 'aria-label': t('edit') });
        box.value = c.body;
        const save = h('button', { type: 'submit' }, t('save'));
        const form = h('form', { class: 'edit', novalidate: true }, box, save);
        form.addEventListener('submit', (e) => {
          e.preventDefault();
          void act('PATCH', `/${thread}/comments/${c.id}`, { body: box.value });
        });
        text.replaceWith(form);
        box.focus();
      });
      const del = h('button', { type: 'button', class: 'link' }, t('delete'));
      del.addEventListener('click', () => {
        if (confirm(t('confirmDelete'))) void act('DELETE', `/${thread}/comments/${c.id}`);
      });
      el.append(h('div', { class: 'own' }, edit, del));
    }
    return el;
  }

  /** Beside each text field: how many open threads it has (a button that
   *  shows them) and its open suggestions, inline. */
  drawFields() {
    if (!this.view) return;
    for (const [, f] of this.host.texts) {
      const name = fieldOf(f.path);
      const n = this.view.open[name] ?? 0;
      let badge = beside(f.wrap, 'comment-count');
      if (n === 0) {
        badge?.remove();
      } else {
        if (!badge) {
          badge = h('button', { type: 'button', class: 'comment-count for-readers' });
          badge.addEventListener('click', () => {
            this.field = name;
            this.filter = 'all';
            this.draw();
            this.drawThreads();
            this.el.scrollIntoView({ block: 'nearest' });
          });
          f.wrap.after(badge);
        }
        badge.textContent = `${t('commentsShort')}: ${n}`;
        badge.setAttribute('aria-label', `${n} ${t('openComments')}`);
      }
      const open = this.view.threads.filter((v) => v.kind === 'suggestion' && v.status === 'open' && v.placement.field === name);
      let inline = beside(f.wrap, 'inline-suggestions');
      if (open.length === 0) {
        inline?.remove();
        continue;
      }
      if (!inline) {
        inline = h('div', { class: 'inline-suggestions' });
        (beside(f.wrap, 'comment-count') ?? f.wrap).after(inline);
      }
      inline.replaceChildren(...open.map((v) => h('div', { class: 'inline-suggestion', 'data-thread': v.id },
        this.who(v.author), ': ', this.suggestionDiff(v))));
    }
  }
}
