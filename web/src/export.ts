// The export panel: the card as Markdown (a download) or as a printable
// page (the browser prints it to PDF), in any of the three languages.

import { app, exportCard } from './app';
import { ApiError } from './api';
import { errorText } from './errors';
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
  const withComments = h('input', { type: 'checkbox', class: 'with-comments' });
  const msg = h('p', { class: 'error', role: 'alert' });
  /** The server's export (it reads the open comments). */
  const fromServer = async (format: 'md' | 'html'): Promise<string> => {
    const res = await fetch(`/api/documents/${encodeURIComponent(url)}/export?format=${format}&comments=open&lang=${sel.value}`, { credentials: 'same-origin' });
    if (!res.ok) {
      const b = await res.json().catch(() => ({}));
      throw new ApiError(res.status, b.message ?? res.statusText, b.error ?? '', b.params ?? {});
    }
    return res.text();
  };
  // Under the title: the day (the browser's, in Morocco's calendar day as
  // the user lives it) and the version, the document's heads shortened.
  const imprint = (): [string, string] => {
    const d = new Date();
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const heads = (app.client.heads(url) as string[]).map((x) => x.slice(0, 8)).sort();
    return [day, heads.join('+')];
  };
  const md = h('button', { type: 'button' }, t('markdown'));
  md.addEventListener('click', async () => {
    msg.textContent = '';
    let text: string;
    try {
      text = withComments.checked ? await fromServer('md') : exportCard(card(), sel.value, 'markdown', undefined, ...imprint());
    } catch (e) {
      msg.textContent = errorText(e);
      return;
    }
    const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' })), download: `${fileName()}.${sel.value}.md` });
    document.body.append(a);
    a.click();
    a.remove();
  });
  const print = h('button', { type: 'button' }, t('print'));
  print.addEventListener('click', async () => {
    msg.textContent = '';
    const open = (page: string) => window.open(URL.createObjectURL(new Blob([page], { type: 'text/html;charset=utf-8' })), '_blank');
    if (!withComments.checked) {
      open(exportCard(card(), sel.value, 'html', `${location.origin}/fonts/fonts.css`, ...imprint()));
      return;
    }
    try {
      open(await fromServer('html'));
    } catch (e) {
      msg.textContent = errorText(e);
    }
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'sec-export' },
    h('h2', { id: 'sec-export' }, t('export')),
    labelled(t('exportLang'), sel),
    h('label', { class: 'check' }, withComments, t('withComments')),
    h('div', { class: 'buttons' }, md, print), msg);
}
