// The proposals a card took in: those triage assigned to it and the
// public consultation's comments on it, each with its tracking code and
// its response, in the card editor's side panel.

import { api } from './api';
import { h } from './dom';
import { t, UiKey } from './i18n';
import type { PublicProposals } from './process-api';

export function cardProposals(url: string): HTMLElement {
  const list = h('ul', { class: 'card-proposals' });
  const el = h('section', { class: 'panel', 'aria-labelledby': 'sec-cp' }, h('h2', { id: 'sec-cp' }, t('pr.cardProposals')), list);
  void (async () => {
    const all = await api<PublicProposals>('GET', '/api/public/proposals').catch(() => null);
    const mine = (all?.proposals ?? []).filter((p) => p.card === url || p.about === url);
    list.replaceChildren(...(mine.length
      ? mine.map((p) => h('li', { 'data-code': p.code },
        h('a', { href: `#/proposal/${p.code}`, dir: 'ltr' }, p.code), ' — ',
        h('span', { dir: 'auto', lang: p.lang }, p.text.length > 140 ? `${p.text.slice(0, 140)}…` : p.text), ' ',
        h('span', { class: 'badge' }, p.response ? t(`pr.decision.${p.response.decision}` as UiKey) : t('pr.status.pending'))))
      : [h('li', { class: 'hint' }, t('pr.noProposals'))]));
  })();
  return el;
}
