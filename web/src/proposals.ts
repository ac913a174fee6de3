// Working on the proposals (#/proposals): the secretariat sees them all —
// hides abusive ones with a reason, assigns each to a group and a card,
// marks duplicates, enters those of regional consultations — and each
// group's co-coordinators answer theirs with a reasoned response in
// Arabic and French (Amazigh welcome), which the public page shows.

import { app, CardJson } from './app';
import { api, GroupView } from './api';
import { h, uid } from './dom';
import { errorText } from './errors';
import { label, lang, LANGS, t, UiKey } from './i18n';
import { labelled } from './fields';
import { when } from './review';
import type { ManagedProposal, PhaseView, ProposalDecision } from './process-api';
import { dateInput } from './date';

const DECISIONS: ProposalDecision[] = ['new_commitment', 'merged_into_card', 'activity_of_card', 'out_of_scope', 'not_feasible', 'deferred'];
const THEMATIC = (g: GroupView) => g.id !== 'secretariat' && g.id !== 'steering_committee';

export async function showProposals(main: HTMLElement): Promise<() => void> {
  const secretariat = app.account!.user.admin || app.account!.groups.some((g) => g.group === 'secretariat' && g.role !== 'observer');
  const groups = (await api<GroupView[]>('GET', '/api/groups')).filter(THEMATIC);
  const draw = async () => {
    let list: ManagedProposal[];
    try {
      list = await api<ManagedProposal[]>('GET', '/api/proposals');
    } catch (e) {
      main.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      return;
    }
    await Promise.allSettled(groups.flatMap((g) => g.documents.map((d) => app.client.open(d.id))));
    main.replaceChildren(
      h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, t('back')), ' · ', h('a', { href: '#/public' }, t('pr.public'))),
      h('h1', {}, t('pr.manage')),
      h('p', {}, h('a', { href: '#/scoring' }, t('pr.scoring'))),
      secretariat ? await processForms(draw) : '',
      secretariat ? enterForm(draw) : '',
      list.length ? h('div', { class: 'managed' }, list.map((p) => item(p, groups, secretariat, draw))) : h('p', { class: 'empty' }, t('pr.noProposals')));
  };
  await draw();
  return () => undefined;
}

function cardName(url: string): string {
  try {
    const c = app.client.read(url, []) as CardJson;
    return `${c?.number ?? ''} ${c?.title?.[lang()]?.text || c?.title?.ar?.text || ''}`.trim() || url;
  } catch {
    return url;
  }
}

async function post(what: string, body: unknown, msg: HTMLElement, then: () => Promise<void>) {
  msg.textContent = '';
  try {
    await api('POST', what, body);
    await then();
  } catch (e) {
    msg.textContent = errorText(e);
  }
}

function item(p: ManagedProposal, groups: GroupView[], secretariat: boolean, redraw: () => Promise<void>): HTMLElement {
  const msg = h('p', { class: 'error', role: 'alert' });
  const base = `/api/proposals/${p.code}`;
  const parts: (HTMLElement | string)[] = [
    h('p', { class: 'hint' }, h('a', { href: `#/proposal/${p.code}`, class: 'code' }, p.code), ` · ${when(p.at_ms)} · ${t(`pr.source.${p.source}` as UiKey)}`,
      p.region ? ` · ${p.region}` : '', p.email ? ` · ${p.email}` : ''),
    h('p', { class: 'proposal-text', dir: 'auto', lang: p.lang }, p.text),
  ];
  if (p.hidden) parts.push(h('p', { class: 'notice' }, `${t('pr.hiddenNotice')} ${p.hidden}`));
  if (secretariat) {
    if (p.hidden) {
      const show = h('button', { type: 'button', class: 'show' }, t('pr.show'));
      show.addEventListener('click', () => void post(`${base}/show`, {}, msg, redraw));
      parts.push(show);
    } else {
      const reason = h('input', { id: uid(), type: 'text', class: 'hide-reason', dir: 'auto' });
      const hide = h('button', { type: 'button', class: 'hide' }, t('pr.hide'));
      hide.addEventListener('click', () => void post(`${base}/hide`, { reason: reason.value }, msg, redraw));
      parts.push(h('div', { class: 'row-inline' }, labelled(t('pr.hideReason'), reason), hide));
    }
    const group = h('select', { id: uid(), class: 'assign-group' }, groups.map((g) => h('option', { value: g.id }, label(`group.${g.id}`))));
    if (p.group) group.value = p.group;
    const card = h('select', { id: uid(), class: 'assign-card' });
    const fill = () => {
      const g = groups.find((x) => x.id === group.value);
      card.replaceChildren(h('option', { value: '' }, t('pr.newCommitment')), ...(g?.documents ?? []).map((d) => h('option', { value: d.id }, cardName(d.id))));
      if (p.card) card.value = p.card;
    };
    fill();
    group.addEventListener('change', fill);
    const assign = h('button', { type: 'button', class: 'assign' }, t('pr.assign'));
    assign.addEventListener('click', () => void post(`${base}/assign`, { group: group.value, card: card.value || null }, msg, redraw));
    const dup = h('input', { id: uid(), type: 'text', class: 'dup-of', dir: 'ltr' });
    const mark = h('button', { type: 'button', class: 'mark-dup' }, t('pr.markDuplicate'));
    mark.addEventListener('click', () => void post(`${base}/duplicate`, { of: dup.value.trim().toUpperCase() }, msg, redraw));
    parts.push(h('div', { class: 'row-inline' }, labelled(t('home.group'), group), labelled(t('mt.aboutCard'), card), assign),
      h('div', { class: 'row-inline' }, labelled(t('pr.markDuplicate'), dup), mark));
  } else if (p.group) {
    parts.push(h('p', { class: 'hint' }, `${t('pr.assignedTo')}: ${label(`group.${p.group}`)}${p.card ? ` — ${cardName(p.card)}` : ''}`));
  }
  if (p.response) {
    parts.push(h('p', { class: 'response' }, `${t('pr.response')}: ${t(`pr.decision.${p.response.decision}` as UiKey)} — ${p.response.reason[lang()] || p.response.reason.ar}`));
  }
  if (p.can_respond) parts.push(respondForm(base, p, msg, redraw));
  parts.push(msg);
  return h('article', { class: 'proposal panel', 'data-code': p.code }, ...parts);
}

function respondForm(base: string, p: ManagedProposal, msg: HTMLElement, redraw: () => Promise<void>): HTMLElement {
  const decision = h('select', { id: uid(), class: 'decision' }, DECISIONS.map((d) => h('option', { value: d }, t(`pr.decision.${d}` as UiKey))));
  if (p.response) decision.value = p.response.decision;
  const keys = { ar: 'pr.reasonAr', fr: 'pr.reasonFr', zgh: 'pr.reasonZgh' } as const;
  const reasons = Object.fromEntries(LANGS.map((l) => [l, h('textarea', { id: uid(), rows: 2, lang: l, dir: l === 'ar' ? 'rtl' : 'ltr', class: `reason-${l}` })])) as Record<'ar' | 'fr' | 'zgh', HTMLTextAreaElement>;
  for (const l of LANGS) reasons[l].value = p.response?.reason[l] ?? '';
  const form = h('form', { class: 'respond', novalidate: true },
    labelled(t('pr.response'), decision),
    ...LANGS.map((l) => labelled(t(keys[l]), reasons[l])),
    h('button', { type: 'submit' }, t('pr.respond')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void post(`${base}/respond`, { decision: decision.value, reason: { ar: reasons.ar.value, fr: reasons.fr.value, zgh: reasons.zgh.value } }, msg, redraw);
  });
  return form;
}

/** The secretariat's forms: the timeline's dates, the public
 *  consultation, a consultation's CSV file. */
async function processForms(redraw: () => Promise<void>): Promise<HTMLElement> {
  const msg = h('p', { class: 'error', role: 'alert' });
  const phases = await api<PhaseView[]>('GET', '/api/public/timeline').catch(() => [] as PhaseView[]);
  const rows = phases.map((p) => {
    const title = h('input', { id: uid(), type: 'text', dir: 'auto', class: 'phase-title', value: p.title[lang()] || p.title.ar });
    const start = dateInput(t('mt.start'), { class: 'phase-start' });
    start.value = p.start;
    const end = dateInput(t('mt.due'), { class: 'phase-end' });
    end.value = p.end;
    const save = h('button', { type: 'button', class: 'save-phase' }, t('pr.save'));
    save.addEventListener('click', async () => {
      msg.textContent = '';
      try {
        await api('PUT', `/api/timeline/${p.index}`, { title: { ...p.title, [lang()]: title.value }, start: start.value, end: end.value });
        await redraw();
      } catch (e) {
        msg.textContent = errorText(e);
      }
    });
    return h('li', { class: 'row-inline', 'data-phase': p.index }, labelled(`${p.index + 1}.`, title), start, ' → ', end, save);
  });
  const until = dateInput(t('pr.openConsultation'), { class: 'consultation-until' });
  const open = h('button', { type: 'button', class: 'open-consultation' }, t('pr.openConsultation'));
  open.addEventListener('click', () => void post('/api/consultation', { until: until.value || null }, msg, redraw));
  const close = h('button', { type: 'button', class: 'close-consultation' }, t('pr.closeConsultation'));
  close.addEventListener('click', () => void post('/api/consultation', { until: null }, msg, redraw));
  const file = h('input', { id: uid(), type: 'file', accept: '.csv,text/csv', class: 'import-csv' });
  const done = h('p', { role: 'status' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    msg.textContent = '';
    try {
      const r = await api<{ codes: string[] }>('POST', '/api/proposals/import', { csv: await f.text() });
      done.textContent = `${r.codes.length} ${t('pr.imported')}`;
      await redraw();
    } catch (e) {
      msg.textContent = errorText(e);
    }
  });
  return h('section', { class: 'panel process-forms' },
    h('h2', {}, t('pr.editTimeline')), h('ol', { class: 'timeline-edit' }, rows),
    h('h2', {}, t('pr.consultation')), h('div', { class: 'row-inline' }, until, open, close),
    h('h2', {}, t('pr.import')), labelled(t('pr.import'), file), done, msg);
}

/** A proposal from a regional consultation, typed in by the secretariat. */
function enterForm(redraw: () => Promise<void>): HTMLElement {
  const text = h('textarea', { id: uid(), rows: 3, dir: 'auto', class: 'enter-text' });
  const region = h('input', { id: uid(), type: 'text', dir: 'auto', class: 'enter-region' });
  const langSel = h('select', { id: uid() }, LANGS.map((l) => h('option', { value: l }, label(`lang.${l}`))));
  langSel.value = lang();
  const msg = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'panel enter', novalidate: true },
    h('h2', {}, t('pr.enter')), labelled(t('pr.text'), text), labelled(t('pr.region'), region), labelled(t('pr.lang'), langSel),
    h('button', { type: 'submit' }, t('pr.send')), msg);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void post('/api/proposals', { text: text.value, region: region.value, lang: langSel.value }, msg, redraw);
  });
  return form;
}
