// The revision in public, with no account (#/public, #/propose,
// #/proposal/<code>): the timeline with the current phase, the proposals
// with their reasoned responses and the synthesis counts, the form that
// proposes (its code to keep), a proposal's tracking page. Everything a
// proposer wrote is shown as text, never as markup.

import { api } from './api';
import { h, uid } from './dom';
import { errorText } from './errors';
import { label, lang, LANGS, t, UiKey } from './i18n';
import { labelled } from './fields';
import { formatDate } from './app';
import { when } from './review';
import type { PhaseView, PublicCard, PublicMeeting, PublicProposal, PublicProposals, Proposed, Tracked } from './process-api';
import { titleOf } from './meetings';
import { fieldName } from './diffview';

function nav(): HTMLElement {
  return h('nav', { class: 'crumbs public-nav' },
    h('a', { href: '#/public' }, t('pr.public')), ' · ',
    h('a', { href: '#/propose' }, t('pr.propose')), ' · ',
    h('a', { href: '#/' }, t('pr.signIn')));
}

/** The timeline, the current phase marked. */
export function timeline(phases: PhaseView[]): HTMLElement {
  return h('section', { class: 'panel timeline', 'aria-labelledby': 'tl-h' },
    h('h2', { id: 'tl-h' }, t('pr.timeline')),
    h('ol', {}, phases.map((p) => h('li', { class: p.current ? 'phase current' : 'phase', 'aria-current': p.current ? 'step' : null },
      h('strong', { dir: 'auto' }, titleOf(p.title)), ' — ',
      `${formatDate(p.start, lang())} → ${formatDate(p.end, lang())}`,
      p.current ? h('span', { class: 'badge' }, ` ${t('pr.current')}`) : null))));
}

function proposalCard(p: PublicProposal): HTMLElement {
  const who = [p.name, p.organisation].filter((x) => x).join(' — ');
  return h('article', { class: 'proposal panel', 'data-code': p.code },
    h('p', { class: 'hint' },
      h('a', { href: `#/proposal/${p.code}`, class: 'code' }, p.code), ` · ${when(p.at_ms)} · ${t(`pr.source.${p.source}` as UiKey)}`,
      p.region ? ` · ${p.region}` : '', p.theme ? ` · ${p.theme}` : ''),
    who ? h('p', { class: 'by' }, h('bdi', {}, who)) : null,
    // Text content only: whatever the proposer typed stays text.
    h('p', { class: 'proposal-text', dir: 'auto', lang: p.lang }, p.text),
    p.about ? h('p', { class: 'hint' }, `${t('pr.aboutDraft')}: `, h('bdi', {}, p.about)) : null,
    p.group ? h('p', { class: 'hint' }, `${t('pr.assignedTo')}: ${label(`group.${p.group}`)}`) : null,
    p.duplicate_of ? h('p', { class: 'hint' }, `${t('pr.duplicateOf')} `, h('a', { href: `#/proposal/${p.duplicate_of}` }, p.duplicate_of)) : null,
    p.response
      ? h('div', { class: 'response' },
        h('h3', {}, `${t('pr.response')}: `, h('span', { class: 'decision', 'data-decision': p.response.decision }, t(`pr.decision.${p.response.decision}` as UiKey))),
        ...LANGS.filter((l) => p.response!.reason[l]).map((l) => h('p', { dir: 'auto', lang: l, class: `reason reason-${l}` }, p.response!.reason[l])),
        h('p', { class: 'hint' }, `${p.response.by_name} · ${when(p.response.at_ms)}`))
      : h('p', { class: 'badge pending' }, t('pr.status.pending')));
}

/** The published card versions: number, date, approvals, fingerprint. */
function publishedCards(cards: PublicCard[], consulting: boolean): HTMLElement {
  return h('section', { class: 'panel published-cards', 'aria-labelledby': 'pc-h' },
    h('h2', { id: 'pc-h' }, t('pr.publishedCards')),
    cards.length === 0 ? h('p', { class: 'empty' }, t('pr.noneYet'))
      : h('ul', {}, cards.map((c) => h('li', { class: 'public-card' },
        h('strong', {}, c.number), ' ', h('span', { dir: 'auto' }, titleOf(c.title)),
        h('ul', {}, c.versions.map((v) => {
          const base = `/api/public/cards/${encodeURIComponent(c.id)}/versions/${v.version}`;
          return h('li', { class: 'public-version', 'data-version': v.version },
            `${t('mt.version')} ${v.version} — ${formatDate(new Date(v.at_ms).toISOString().slice(0, 10), lang())} — `,
            `${t('approvals')}: ${v.approvals.map((a) => a.by_name).join(' · ')} — `,
            h('span', { class: 'fingerprint', dir: 'ltr', title: v.heads.join(',') }, `SHA-256 ${v.sha256}`), ' ',
            h('a', { href: base, download: `${c.number}-v${v.version}.json` }, 'JSON'), ' · ',
            h('a', { href: `${base}?format=md&lang=${lang()}`, download: `${c.number}-v${v.version}.md` }, t('markdown')), ' · ',
            diffButton(`${base}/diff`),
            consulting ? h('a', { href: `#/propose/${encodeURIComponent(c.id)}`, class: 'comment-draft' }, t('pr.commentDraft')) : '');
        }))))));
}

interface Seg {
  kind: 'same' | 'inserted' | 'deleted';
  text: string;
}
interface FieldDiffJson {
  field: string;
  segments: Seg[];
}

/** "What changed from the previous published version", drawn under it. */
function diffButton(url: string): HTMLElement {
  const box = h('div', { class: 'public-diff' });
  const b = h('button', { type: 'button', class: 'link show-diff' }, t('pr.diffPrevious'));
  b.addEventListener('click', async () => {
    try {
      const fields = await api<FieldDiffJson[]>('GET', url);
      box.replaceChildren(...fields.map((f) => h('div', { class: 'field-diff' },
        h('h4', {}, fieldName(f.field)),
        h('p', { dir: 'auto' }, f.segments.map((sg) =>
          sg.kind === 'inserted' ? h('ins', {}, sg.text) : sg.kind === 'deleted' ? h('del', {}, sg.text) : sg.text)))));
    } catch (e) {
      box.textContent = errorText(e);
    }
  });
  return h('span', {}, b, box);
}

/** The approved minutes of every meeting. */
function publishedMinutes(meetings: PublicMeeting[]): HTMLElement {
  return h('section', { class: 'panel published-minutes', 'aria-labelledby': 'pm-h' },
    h('h2', { id: 'pm-h' }, t('pr.approvedMinutes')),
    meetings.length === 0 ? h('p', { class: 'empty' }, t('pr.noneYet'))
      : h('ul', {}, meetings.map((m) => {
        const base = `/api/public/meetings/${encodeURIComponent(m.id)}/minutes?lang=${lang()}`;
        return h('li', { class: 'public-meeting' },
          `${formatDate(m.date, lang())} — `, h('span', { dir: 'auto' }, titleOf(m.title)), ' — ',
          h('a', { href: `${base}&format=html`, target: '_blank', rel: 'noopener', class: 'minutes-page' }, t('print')), ' · ',
          h('a', { href: base, download: `minutes-${m.date}.md` }, t('markdown')));
      })));
}

export async function showPublic(main: HTMLElement): Promise<() => void> {
  const [phases, list, cards, meetings] = await Promise.all([
    api<PhaseView[]>('GET', '/api/public/timeline'),
    api<PublicProposals>('GET', '/api/public/proposals'),
    api<PublicCard[]>('GET', '/api/public/cards'),
    api<PublicMeeting[]>('GET', '/api/public/meetings'),
  ]);
  const syn = list.synthesis;
  const counts = (title: UiKey, m: Record<string, number>, word?: (k: string) => string) =>
    h('div', {}, h('h3', {}, t(title)), h('ul', {}, Object.entries(m).map(([k, n]) => h('li', {}, `${word ? word(k) : k}: ${n}`))));
  const code = h('input', { id: uid(), type: 'text', class: 'track-code', dir: 'ltr', autocomplete: 'off' });
  const go = h('form', { class: 'track-form', novalidate: true }, labelled(t('pr.code'), code), h('button', { type: 'submit' }, t('pr.track')));
  go.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/proposal/${encodeURIComponent(code.value.trim())}`;
  });
  main.append(nav(),
    h('h1', {}, t('pr.public')),
    h('p', { class: 'intro' }, t('pr.publicIntro')),
    timeline(phases),
    h('p', {}, h('a', { href: '#/propose', class: 'button primary' }, t('pr.propose')), ' · ',
      h('a', { href: '/api/public/proposals.csv', download: 'proposals.csv' }, 'CSV'), ' · ',
      h('a', { href: '/api/public/proposals.schema.json' }, 'JSON Schema'), ' · ',
      h('a', { href: '/api/public/feed.atom' }, 'Atom')),
    h('p', { class: 'consultation' }, `${t('pr.consultation')}: `,
      list.consultation ? `${t('pr.consultationOpen')} ${formatDate(list.consultation, lang())}` : t('pr.consultationClosed')),
    publishedCards(cards, !!list.consultation),
    publishedMinutes(meetings),
    go,
    h('section', { class: 'panel synthesis', 'aria-labelledby': 'syn-h' },
      h('h2', { id: 'syn-h' }, t('pr.synthesis')),
      h('p', {}, `${t('pr.total')}: ${syn.received} (${t('pr.hiddenCount')}: ${syn.hidden})`),
      counts('mt.decisions', syn.by_decision, (k) => (k === 'pending' ? t('pr.status.pending') : t(`pr.decision.${k}` as UiKey))),
      counts('pr.theme', syn.by_theme), counts('pr.region', syn.by_region)),
    h('section', { 'aria-labelledby': 'pl-h' }, h('h2', { id: 'pl-h' }, t('pr.proposals')),
      list.proposals.length ? list.proposals.map(proposalCard) : h('p', { class: 'empty' }, t('pr.noProposals'))));
  return () => undefined;
}

/** The form; `about`: a published card the proposal comments on (the
 *  public consultation on the draft plan). */
export function showPropose(main: HTMLElement, about: string | null = null): () => void {
  const text = h('textarea', { id: uid(), rows: 6, dir: 'auto', class: 'pr-text', maxlength: 4000 });
  const input = (cls: string, attrs: Record<string, string> = {}) => h('input', { id: uid(), type: 'text', dir: 'auto', class: cls, ...attrs });
  const name = input('pr-name', { autocomplete: 'name' });
  const org = input('pr-org', { autocomplete: 'organization' });
  const region = input('pr-region');
  const theme = input('pr-theme');
  const email = input('pr-email', { type: 'email', dir: 'ltr', autocomplete: 'email' });
  const langSel = h('select', { id: uid(), class: 'pr-lang' }, LANGS.map((l) => h('option', { value: l }, label(`lang.${l}`))));
  langSel.value = lang();
  // The honeypot: out of sight and of the tab order; robots fill it.
  const website = h('input', { id: uid(), type: 'text', name: 'website', class: 'pr-website', tabindex: '-1', autocomplete: 'off' });
  const trap = h('div', { class: 'trap', 'aria-hidden': 'true' }, h('label', { for: website.id }, t('pr.website')), website);
  const msg = h('p', { class: 'error', role: 'alert' });
  const done = h('div', { class: 'done', role: 'status' });
  const form = h('form', { class: 'panel propose', novalidate: true, 'aria-labelledby': 'pp-h' },
    h('h1', { id: 'pp-h' }, about ? t('pr.commentDraft') : t('pr.propose')),
    h('p', { class: 'hint' }, t('pr.proposeIntro')),
    about ? h('p', { class: 'about-draft' }, `${t('pr.aboutDraft')}: `, h('bdi', {}, about)) : '',
    labelled(t('pr.text'), text), labelled(t('pr.lang'), langSel),
    labelled(t('pr.region'), region), labelled(t('pr.theme'), theme),
    labelled(t('pr.name'), name), labelled(t('pr.organisation'), org), labelled(t('pr.email'), email),
    trap, h('button', { type: 'submit', class: 'primary' }, t('pr.send')), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.textContent = '';
    try {
      const r = await api<Proposed>('POST', '/api/public/proposals', {
        text: text.value, lang: langSel.value, region: region.value, theme: theme.value,
        name: name.value, organisation: org.value, email: email.value, website: website.value, about,
      });
      done.replaceChildren(h('p', {}, t('pr.thanks'), ' ', h('strong', { class: 'new-code', dir: 'ltr' }, r.code)),
        h('a', { href: `#/proposal/${r.code}` }, t('pr.trackIt')));
      form.replaceWith(done);
    } catch (x) {
      msg.textContent = errorText(x);
    }
  });
  main.append(nav(), form);
  return () => undefined;
}

export async function showProposal(main: HTMLElement, code: string): Promise<() => void> {
  main.append(nav());
  try {
    const tr = await api<Tracked>('GET', `/api/public/proposals/${encodeURIComponent(code)}`);
    main.append(h('h1', {}, `${t('pr.proposal')} `, h('span', { dir: 'ltr' }, tr.code)));
    if (tr.hidden) main.append(h('p', { class: 'notice' }, `${t('pr.hiddenNotice')} `, h('bdi', {}, tr.hidden)));
    else main.append(proposalCard(tr as unknown as PublicProposal));
  } catch (e) {
    main.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
  return () => undefined;
}
