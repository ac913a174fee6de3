// The difference between two points of a card's history, per field and
// language: words inserted in their author's colour with their name,
// words deleted struck through with who deleted them. A field (or the
// card) can be restored from here to how it was at the earlier point.

import { COLOURS } from './app';
import { api } from './api';
import type { DiffView, Done } from './review-api';
import { h } from './dom';
import { errorText } from './errors';
import { label, t } from './i18n';
import { rowPlace } from './rows';

/** A person's colour in differences: the same for everyone, from their id. */
export function colourOf(user: string): string {
  let n = 0;
  for (const c of user) n = (n * 31 + c.charCodeAt(0)) >>> 0;
  return COLOURS[n % COLOURS.length];
}

/** A field's name: its section (or row, by its place on screen in the
 * card at `url`), then its language. */
export function fieldName(field: string, url?: string): string {
  const parts = field.split('/');
  const lang = parts.find((p) => p === 'ar' || p === 'fr' || p === 'zgh');
  const row = parts.find((p) => /^\d+$/.test(p));
  const col = parts.length > 2 && row ? parts[parts.length - 1] : null;
  const base = [label(parts[0])];
  if (row) base.push(`${t('row')} ${rowPlace(url, parts[0], Number(row))}`);
  if (col && col !== lang) base.push(label(`${parts[0]}.${col}`) === `${parts[0]}.${col}` ? col : label(`${parts[0]}.${col}`));
  if (lang) base.push(label(`lang.${lang}`));
  return base.join(' — ');
}

export interface DiffOptions {
  url: string;
  from: string;
  to?: string;
  title: string;
  /** Offer "restore this field" (the caller may restore). */
  restore: boolean;
  /** After a restore. */
  done: () => void;
}

/** Fetches and draws a difference into `into`. */
export async function showDiff(into: HTMLElement, o: DiffOptions): Promise<void> {
  const q = new URLSearchParams({ from: o.from, to: o.to ?? 'now' });
  const close = h('button', { type: 'button', class: 'close' }, t('close'));
  close.addEventListener('click', () => into.replaceChildren());
  const box = h('section', { class: 'diff-view panel', 'aria-labelledby': 'diff-title', tabindex: '-1' },
    h('div', { class: 'diff-head' }, h('h2', { id: 'diff-title' }, o.title), close));
  into.replaceChildren(box);
  let d: DiffView;
  try {
    d = await api<DiffView>('GET', `/api/documents/${encodeURIComponent(o.url)}/diff?${q}`);
  } catch (e) {
    box.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    return;
  }
  const name = (by: string | null | undefined) => (by && d.authors[by]?.name) || t('unknownAuthor');
  if (d.fields.length === 0) box.append(h('p', { class: 'empty' }, t('noDiff')));
  for (const f of d.fields) {
    const body = h('p', { class: 'diff-text', dir: 'auto' });
    for (const s of f.segments) {
      if (s.kind === 'same') {
        body.append(s.text);
        continue;
      }
      const c = s.by ? colourOf(s.by) : '#555';
      const who = name(s.by);
      const tag = h('span', { class: 'who-tag', style: `color:${c}` }, h('bdi', {}, who));
      if (s.kind === 'inserted') {
        body.append(h('ins', { style: `border-color:${c}`, title: `${t('inserted')} ${who}`, 'data-by': who }, s.text), tag);
      } else {
        body.append(h('del', { style: `text-decoration-color:${c}`, title: `${t('deleted')} ${who}`, 'data-by': who }, s.text), tag);
      }
    }
    const block = h('div', { class: 'diff-field', 'data-field': f.field },
      h('h3', {}, fieldName(f.field, o.url)), body);
    if (o.restore) block.append(restoreButton(o, f.field.split('/').length > 2 && /\/\d+$/.test(f.field) ? 'row' : 'field', f.field, t('restoreField')));
    box.append(block);
  }
  if (o.restore && d.fields.length > 0) box.append(restoreButton(o, 'card', null, t('restoreCard')));
  box.focus();
}

function restoreButton(o: DiffOptions, scope: 'card' | 'field' | 'row', field: string | null, text: string): HTMLElement {
  const b = h('button', { type: 'button', class: 'restore' }, text);
  const msg = h('span', { class: 'error', role: 'alert' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await api<Done>('POST', `/api/documents/${encodeURIComponent(o.url)}/restore`, { at: o.from, scope, field });
      o.done();
    } catch (e) {
      msg.textContent = errorText(e);
      b.disabled = false;
    }
  });
  return h('span', { class: 'restore-box' }, b, msg);
}
