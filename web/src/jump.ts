// Reaching any part of a card from the keyboard or a phone: a "go to
// field" list of every field (named as presence names them) and links to
// the side panels (who is here, completeness, review, comments, export).
// On a narrow screen the bar stays at the bottom of the view, so the side
// panels are reachable without scrolling back up.

import { h, uid } from './dom';
import { t, UiKey } from './i18n';
import { fieldName } from './presence';

const PANELS: [string, UiKey][] = [
  ['sec-people', 'here'],
  ['sec-issues', 'completeness'],
  ['sec-review', 'review'],
  ['sec-comments', 'comments'],
  ['sec-export', 'export'],
];

/** The bar for the card drawn in `root` (call after the fields exist). */
export function jumpBar(root: HTMLElement, url?: string): HTMLElement {
  const sel = h('select', { id: uid(), class: 'jump-field' }, h('option', { value: '' }, t('jump.toField')));
  const seen = new Set<string>();
  for (const el of root.querySelectorAll<HTMLElement>('.fields [data-path]')) {
    const path = el.dataset.path!;
    if (seen.has(path) || el.tagName === 'FIELDSET' || el.classList.contains('table-wrap')) continue;
    seen.add(path);
    sel.append(h('option', { value: path }, fieldName(path, url)));
  }
  sel.addEventListener('change', () => {
    const target = root.querySelector<HTMLElement>(`.fields [data-path="${CSS.escape(sel.value)}"]`);
    const focusable = target?.matches('codraft-text, select, input') ? target : target?.querySelector<HTMLElement>('codraft-text, select, input');
    focusable?.scrollIntoView({ block: 'center' });
    focusable?.focus();
    sel.value = '';
  });
  const links = PANELS.filter(([id]) => root.querySelector(`#${id}`)).map(([id, key]) => {
    const a = h('a', { href: `#${id}`, class: 'jump-panel' }, t(key));
    a.addEventListener('click', (e) => {
      e.preventDefault();
      const heading = root.querySelector<HTMLElement>(`#${id}`);
      heading?.scrollIntoView({ block: 'start' });
      heading?.setAttribute('tabindex', '-1');
      heading?.focus();
    });
    return a;
  });
  return h('nav', { class: 'card-jump', 'aria-label': t('jump.label') },
    h('label', { for: sel.id, class: 'sr-only' }, t('jump.toField')), sel, ...links);
}
