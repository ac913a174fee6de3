// The export panel: the card as Markdown (a download) or as a printable
// page (the browser prints it to PDF), in any of the three languages.

import { app, exportCard } from './app';
import { h, uid } from './dom';
import { label, lang, LANGS, t } from './i18n';
import { labelled } from './fields';

/** `stage`: the card's stage as the server records it (the document's own
 *  field is not authoritative). */
export function exporter(url: string, stage: () => string): HTMLElement {
  const card = () => ({ ...(app.client.read(url, []) as Record<string, unknown>), workflow: stage() });
  const sel = h('select', { id: uid() }, LANGS.map((l) => h('option', { value: l }, label(`lang.${l}`))));
  sel.value = lang();
  const fileName = () => String(app.client.read(url, ['number']) || 'card').replace(/[^\w-]+/g, '_');
  const md = h('button', { type: 'button' }, t('markdown'));
  md.addEventListener('click', () => {
    const text = exportCard(card(), sel.value, 'markdown', undefined);
    const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' })), download: `${fileName()}.${sel.value}.md` });
    document.body.append(a);
    a.click();
    a.remove();
  });
  const print = h('button', { type: 'button' }, t('print'));
  print.addEventListener('click', () => {
    const page = exportCard(card(), sel.value, 'html', `${location.origin}/fonts/fonts.css`);
    window.open(URL.createObjectURL(new Blob([page], { type: 'text/html;charset=utf-8' })), '_blank');
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'sec-export' },
    h('h2', { id: 'sec-export' }, t('export')),
    labelled(t('exportLang'), sel), h('div', { class: 'buttons' }, md, print));
}
