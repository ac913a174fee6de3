// The scoring grid (#/scoring): the secretariat opens a round and closes
// it; each member of the steering committee scores every proposal alone —
// the gates yes/no, each weighted criterion 0 to 4 — and sees only their
// own scores until the round closes; then the results per proposal
// (weighted mean, spread, by sector, disagreement, stale scores).

import { api } from './api';
import { h, uid } from './dom';
import { errorText } from './errors';
import { label, t } from './i18n';
import { labelled } from './fields';
import type { RoundView, ScoreResult } from './process-api';
import { titleOf } from './meetings';

export async function showScoring(main: HTMLElement): Promise<() => void> {
  const msg = h('p', { class: 'error', role: 'alert' });
  const draw = async () => {
    let rounds: RoundView[];
    try {
      rounds = await api<RoundView[]>('GET', '/api/rounds');
    } catch (e) {
      main.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    const name = h('input', { id: uid(), type: 'text', class: 'round-name', dir: 'auto' });
    const open = h('button', { type: 'submit' }, t('pr.openRound'));
    const form = h('form', { class: 'panel open-round', novalidate: true }, labelled(t('pr.roundName'), name), open);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await api('POST', '/api/rounds', { name: name.value });
        await draw();
      } catch (x) {
        msg.textContent = errorText(x);
      }
    });
    const parts = await Promise.all(rounds.map((r) => round(r, msg, draw)));
    main.replaceChildren(
      h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, t('back')), ' · ', h('a', { href: '#/proposals' }, t('pr.manage'))),
      h('h1', {}, t('pr.scoring')),
      h('p', { class: 'hint' }, t('pr.scoringHint')),
      msg,
      ...parts,
      rounds.some((r) => r.can_close) || rounds.length === 0 ? form : '');
  };
  await draw();
  return () => undefined;
}

async function round(r: RoundView, msg: HTMLElement, redraw: () => Promise<void>): Promise<HTMLElement> {
  const head = h('h2', {}, `${r.name} `, r.open ? '' : h('span', { class: 'badge' }, t('pr.closed')));
  const close = r.can_close ? h('button', { type: 'button', class: 'close-round' }, t('pr.closeRound')) : null;
  close?.addEventListener('click', async () => {
    try {
      await api('POST', `/api/rounds/${r.id}/close`);
      await redraw();
    } catch (e) {
      msg.textContent = errorText(e);
    }
  });
  if (!r.open) {
    const results = await api<ScoreResult[]>('GET', `/api/rounds/${r.id}/results`).catch(() => [] as ScoreResult[]);
    return h('section', { class: 'panel round closed', 'data-round': r.id }, head,
      h('table', { class: 'results' },
        h('thead', {}, h('tr', {}, h('th', {}, t('pr.code')), h('th', {}, t('pr.mean')), h('th', {}, t('pr.spread')), h('th', {}, t('sector')), h('th', {}, ''))),
        h('tbody', {}, results.map((x) => h('tr', { 'data-code': x.code, class: x.disagreement ? 'disagreement' : '' },
          h('td', { dir: 'ltr' }, x.code), h('td', {}, String(x.mean)), h('td', {}, String(x.spread)),
          h('td', {}, Object.entries(x.by_sector).map(([s, m]) => `${t(`sector.${s}` as 'sector.administration')}: ${m}`).join(' · ')),
          h('td', {}, x.disagreement ? h('span', { class: 'badge todo' }, t('pr.disagreement')) : '', x.stale ? ` ${t('pr.stale')}: ${x.stale}` : ''))))));
  }
  const rows = r.proposals.map((p) => {
    const mine = r.mine[p.code];
    const gates = r.grid.gates.map((g, i) => h('label', { class: 'check' }, h('input', { type: 'checkbox', class: 'gate', checked: mine ? mine.gates[i] : false }), titleOf(g)));
    const crit = r.grid.criteria.map((c, i) => {
      const sel = h('select', { id: uid(), class: 'criterion' }, [0, 1, 2, 3, 4].map((v) => h('option', { value: String(v) }, String(v))));
      sel.value = String(mine ? mine.scores[i] : 0);
      return labelled(`${titleOf(c.title)} (${t('pr.weight')} ${c.weight})`, sel);
    });
    const save = h('button', { type: 'submit' }, t('pr.saveScore'));
    const form = h('form', { class: 'score', novalidate: true }, h('fieldset', {}, h('legend', {}, t('pr.gates')), gates),
      h('fieldset', {}, h('legend', {}, t('pr.criteria')), crit), r.can_score ? save : '');
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = {
        gates: [...form.querySelectorAll<HTMLInputElement>('input.gate')].map((x) => x.checked),
        scores: [...form.querySelectorAll<HTMLSelectElement>('select.criterion')].map((x) => Number(x.value)),
      };
      try {
        await api('PUT', `/api/rounds/${r.id}/scores/${p.code}`, body);
        await redraw();
      } catch (x) {
        msg.textContent = errorText(x);
      }
    });
    return h('article', { class: 'proposal panel', 'data-code': p.code },
      h('p', { class: 'hint' }, p.code, p.group ? ` · ${label(`group.${p.group}`)}` : '',
        mine ? h('span', { class: 'badge ok' }, ` ${t('pr.scored')}`) : '',
        r.stale.includes(p.code) ? h('span', { class: 'badge todo' }, ` ${t('pr.stale')}`) : ''),
      h('p', { class: 'proposal-text', dir: 'auto', lang: p.lang }, p.text), form);
  });
  return h('section', { class: 'panel round', 'data-round': r.id }, head, close, ...rows);
}
