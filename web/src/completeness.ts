// The completeness panel: what the card still lacks (the schema crate's
// validator, in the interface language), each item a link to its field.

import { app, Issue, validateCard } from './app';
import { h } from './dom';
import { lang, t } from './i18n';
import type { CardEditor } from './editor';

export function showIssues(editor: CardEditor, el: HTMLElement) {
  const issues = validateCard(app.client.read(editor.url, []), lang()) as Issue[];
  const required = issues.filter((i) => i.severity === 'required');
  const badge = required.length === 0
    ? h('p', { class: 'badge ok' }, `✓ ${t('complete')}`)
    : h('p', { class: 'badge todo' }, `${required.length} ${t('missing')}`);
  const list = h('ul', { class: 'issue-list' }, issues.map((i) => {
    const a = h('a', { href: `#field=${i.field}` }, i.message);
    a.addEventListener('click', (e) => { e.preventDefault(); focusField(editor, i.field); });
    return h('li', { class: i.severity }, a, i.severity === 'recommended' ? ` (${t('recommended')})` : '');
  }));
  el.replaceChildren(badge, list);
}

/** Scrolls to a field (or the first control within it) and focuses it. */
export function focusField(editor: CardEditor, field: string) {
  const exact = editor.bound.get(field)?.[0]?.focusable;
  const el = exact ?? (editor.el.querySelector(`[data-path="${CSS.escape(field)}"]`) as HTMLElement | null)
    ?? [...editor.bound.entries()].find(([k]) => k.startsWith(`${field}/`))?.[1][0]?.focusable;
  if (el) {
    el.scrollIntoView({ block: 'center' });
    (el.matches('input,select,codraft-text,button') ? el : el.querySelector<HTMLElement>('input,select,codraft-text,button'))?.focus();
  }
}
