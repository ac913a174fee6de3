// A date as people write it in the interface's language: day, month by
// its name (Moroccan Arabic, French or Amazigh month names, from the
// schema crate's formatDate) and year, stored as ISO (YYYY-MM-DD). The
// browser's own date input shows mm/dd/yyyy whatever the page's language.

import { formatDate } from './app';
import { h } from './dom';
import { lang, t } from './i18n';

/** The month names of the interface language, January first. */
function months(): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const s = formatDate(`2000-${String(i + 1).padStart(2, '0')}-15`, lang());
    return s.replace(/^15\s+/, '').replace(/\s+2000$/, '');
  });
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A date control: `.value` is ISO when complete, '' when empty. It
 *  fires `change` only when it holds a whole valid date or is cleared. */
export function dateInput(label: string, attrs: Record<string, string> = {}): HTMLElement & { value: string } {
  const day = h('select', { class: 'day', 'aria-label': `${label} — ${t('date.day')}` },
    h('option', { value: '' }, '—'),
    Array.from({ length: 31 }, (_, i) => h('option', { value: String(i + 1) }, String(i + 1))));
  const month = h('select', { class: 'month', 'aria-label': `${label} — ${t('date.month')}` },
    h('option', { value: '' }, '—'),
    months().map((name, i) => h('option', { value: String(i + 1) }, name)));
  const year = h('input', { class: 'year', type: 'text', inputmode: 'numeric', maxlength: 4, size: 4, dir: 'ltr', placeholder: t('date.yearHint'), 'aria-label': `${label} — ${t('date.year')}` });
  const wrap = h('span', { class: 'date-input', role: 'group', 'aria-label': label, ...attrs }, day, ' ', month, ' ', year) as HTMLElement & { value: string };
  let current = '';
  const read = (): string | null => {
    const [d, m, y] = [Number(day.value), Number(month.value), Number(year.value.trim())];
    if (!day.value && !month.value && !year.value.trim()) return '';
    if (!d || !m || !/^\d{4}$/.test(year.value.trim()) || d > daysIn(y, m)) return null;
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  };
  for (const part of [day, month, year]) {
    part.addEventListener('change', (e) => {
      e.stopPropagation();
      const v = read();
      const bad = v === null;
      for (const p of [day, month, year]) p.toggleAttribute('aria-invalid', bad);
      if (bad || v === current) return;
      current = v;
      wrap.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }
  Object.defineProperty(wrap, 'value', {
    get: () => current,
    set: (iso: string) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
      current = m ? iso : '';
      day.value = m ? String(Number(m[3])) : '';
      month.value = m ? String(Number(m[2])) : '';
      year.value = m ? m[1] : '';
      for (const p of [day, month, year]) p.removeAttribute('aria-invalid');
    },
  });
  return wrap;
}
