// Home: my action items from meetings (overdue ones flagged), the steering
// committee and the six thematic groups, who co-coordinates each, my role,
// their meetings, and the cards of the groups I belong to.

import { app, validateCard, CardJson, Issue } from './app';
import { api, DocInfo, GroupView } from './api';
import { h } from './dom';
import { label, lang, t, UiKey } from './i18n';
import type { HistoryPage, ReviewView } from './review-api';
import { when } from './review';
import type { MyAction } from './meetings-api';
import type { PhaseView } from './process-api';
import { titleOf } from './meetings';
import { formatDate } from './app';

export async function showHome(main: HTMLElement): Promise<() => void> {
  // The thematic groups; the committee's secretariat (a group of its own)
  // only for its members and site administrators, after them.
  const order = (g: GroupView) => (g.id === COMMITTEE ? 0 : g.id === 'secretariat' ? 2 : 1);
  const groups = (await api<GroupView[]>('GET', '/api/groups'))
    .filter((g) => g.id !== 'secretariat' || g.role !== null || app.account!.user.admin)
    .sort((a, b) => order(a) - order(b));
  const actions = await api<MyAction[]>('GET', '/api/me/actions').catch(() => [] as MyAction[]);
  const phases = await api<PhaseView[]>('GET', '/api/public/timeline').catch(() => [] as PhaseView[]);
  const current = phases.find((p) => p.current);
  const scores = app.account!.user.admin || app.account!.groups.some((g) => g.group === 'steering_committee' || (g.group === 'secretariat' && g.role !== 'observer'));
  const works = app.account!.user.admin || app.account!.groups.some((g) => (g.group === 'secretariat' && g.role !== 'observer') || g.role === 'co_coordinator');
  const urls = groups.flatMap((g) => g.documents.map((d) => d.id));
  // Open every card so its title and completeness show (a group holds
  // tens of cards, not thousands).
  await Promise.allSettled(urls.map((u) => app.client.open(u)));
  // Search and filters (kept across redraws).
  const filter = { text: '', group: '', stage: '' };
  const search = h('input', { type: 'search', class: 'card-search', 'aria-label': t('home.search'), placeholder: t('home.search'), dir: 'auto' });
  const groupSel = h('select', { class: 'group-filter', 'aria-label': t('home.group') },
    h('option', { value: '' }, t('home.allGroups')),
    groups.filter((g) => g.documents.length > 0).map((g) => h('option', { value: g.id }, label(`group.${g.id}`))));
  const stageSel = h('select', { class: 'stage-filter', 'aria-label': t('stage') },
    h('option', { value: '' }, t('home.allStages')),
    (['draft', 'group_review', 'validated', 'adopted', 'published'] as const).map((st) => h('option', { value: st }, t(`stage.${st}`))));
  const none = h('p', { class: 'empty no-match', hidden: true }, t('home.noMatch'));
  const apply = () => {
    let shown = 0;
    for (const sec of main.querySelectorAll<HTMLElement>('.group[data-group]')) {
      const items = [...sec.querySelectorAll<HTMLElement>('li.card-item')];
      let visible = 0;
      for (const li of items) {
        const ok = (!filter.text || (li.dataset.text ?? '').includes(filter.text))
          && (!filter.stage || li.dataset.stage === filter.stage);
        li.hidden = !ok;
        if (ok) visible++;
      }
      const narrowed = filter.text !== '' || filter.stage !== '';
      sec.hidden = (filter.group !== '' && sec.dataset.group !== filter.group) || (narrowed && visible === 0);
      if (!sec.hidden) shown += visible;
    }
    none.hidden = shown > 0 || (!filter.text && !filter.stage && !filter.group);
  };
  search.addEventListener('input', () => { filter.text = search.value.trim().toLowerCase(); apply(); });
  groupSel.addEventListener('change', () => { filter.group = groupSel.value; apply(); });
  stageSel.addEventListener('change', () => { filter.stage = stageSel.value; apply(); });
  const render = () => {
    main.replaceChildren(
      h('h1', {}, t('home')),
      h('p', { class: 'intro' }, t('intro')),
      h('p', { class: 'current-phase' },
        current ? [`${t('pr.current')}: `, h('strong', { dir: 'auto' }, titleOf(current.title)), ' · '] : '',
        h('a', { href: '#/public' }, t('pr.public')),
        works ? [' · ', h('a', { href: '#/proposals', class: 'proposals-link' }, t('pr.manage'))] : '',
        scores ? [' · ', h('a', { href: '#/scoring', class: 'scoring-link' }, t('pr.scoring'))] : ''),
      myActions(actions) ?? '',
      h('div', { class: 'filters', role: 'search' }, search, groupSel, stageSel),
      none,
      h('div', { class: 'groups' }, groups.map(group)),
    );
    apply();
  };
  const group = (g: GroupView) => {
    const committee = g.id === COMMITTEE;
    const writes = !committee && (app.account!.user.admin || g.role === 'co_coordinator' || g.role === 'member');
    const add = writes ? h('button', { type: 'button', class: 'add' }, `+ ${t('newCard')}`) : null;
    add?.addEventListener('click', async () => {
      const doc = await api<DocInfo>('POST', `/api/groups/${g.id}/documents`, { kind: 'card' });
      location.hash = `#/card/${encodeURIComponent(doc.id)}`;
    });
    // Each name isolated on its own, so that the list runs in the
    // interface's direction (right to left in Arabic) whatever the names'.
    const coords = g.co_coordinators.length
      ? g.co_coordinators.flatMap((u, i) => [i ? ' · ' : '', h('bdi', {}, u.name), ` (${t(`sector.${u.sector}`)})`])
      : [t('vacant')];
    const member = g.role !== null || app.account!.user.admin;
    // The committee's secretariat sees every group's cards without being a member.
    const sees = member || g.documents.length > 0;
    return h('section', { class: 'group panel', 'aria-labelledby': `g-${g.id}`, 'data-group': g.id },
      h('h2', { id: `g-${g.id}` }, label(`group.${g.id}`)),
      h('p', { class: 'coords' }, `${t('coordinators')}: `, ...coords),
      h('p', { class: 'my-role' },
        g.role ? h('span', { class: 'badge role' }, t(`role.${g.role}`)) : h('span', { class: 'hint' }, t('notMember')),
        member ? h('a', { href: `#/group/${g.id}`, class: 'members-link' }, `${t('members')} (${g.members})`) : null,
        member && g.id !== 'secretariat' ? h('a', { href: `#/meetings/${g.id}`, class: 'meetings-link' }, t('mt.meetings')) : null),
      !sees || committee ? null
        : g.documents.length === 0 ? h('p', { class: 'empty' }, t('noCards'))
        : h('ul', { class: 'cards' }, g.documents.map((d) => cardItem(d.id, apply))),
      add);
  };
  render();
  const off = app.on((e) => {
    if (e.type === 'change' && urls.includes(e.url)) render();
  });
  return off;
}

const COMMITTEE = 'steering_committee';

/** My action items from meetings, open ones first, overdue flagged. */
function myActions(actions: MyAction[]): HTMLElement | null {
  if (actions.length === 0) return null;
  const today = new Date().toISOString().slice(0, 10);
  return h('section', { class: 'panel my-actions', 'aria-labelledby': 'my-act' },
    h('h2', { id: 'my-act' }, t('mt.myActions')),
    h('ul', {}, actions.map((a) => h('li', { class: 'my-action', 'data-status': a.status },
      h('span', { dir: 'auto' }, a.text),
      a.due ? ` — ${t('mt.due')} ${formatDate(a.due, lang())}` : '',
      ' ', h('span', { class: 'badge' }, t(a.status === 'done' ? 'mt.done' : 'mt.open')),
      a.overdue || (a.status === 'open' && a.due && a.due < today) ? h('span', { class: 'badge todo overdue' }, t('mt.overdueBadge')) : null,
      ' — ', h('a', { href: `#/meeting/${encodeURIComponent(a.meeting)}` }, `${titleOf(a.meeting_title)} (${formatDate(a.meeting_date, lang())})`)))));
}

/** A card of the list, searchable by its number and titles, filtered by
 *  its stage once the server said it (`filtered` runs the filters again). */
function cardItem(url: string, filtered: () => void): HTMLElement {
  const li = h('li', { class: 'card-item' });
  let doc: CardJson | null = null;
  try {
    doc = app.client.read(url, []) as CardJson;
  } catch {
    /* unavailable */
  }
  const titles = doc?.title ? Object.values(doc.title).map((x) => x?.text ?? '') : [];
  li.dataset.text = [doc?.number ?? '', ...titles].join(' ').toLowerCase();
  li.append(cardLink(url, doc, (stage) => {
    li.dataset.stage = stage;
    filtered();
  }));
  return li;
}

function cardLink(url: string, doc: CardJson | null, staged: (stage: string) => void): HTMLElement {
  if (!doc) return h('span', { class: 'unavailable' }, t('notFound'));
  const title = doc?.title?.[lang()]?.text || doc?.title?.ar?.text || doc?.title?.fr?.text || t('untitled');
  const issues = validateCard(doc, lang()) as Issue[];
  const missing = issues.filter((i) => i.severity === 'required').length;
  const review = h('span', { class: 'review-badges' });
  void reviewBadges(url, review, staged);
  return h('a', { href: `#/card/${encodeURIComponent(url)}`, class: 'card-link' },
    doc.number ? h('span', { class: 'number' }, doc.number) : null,
    h('span', { class: 'title', dir: 'auto' }, title),
    h('span', { class: `badge ${missing ? 'todo' : 'ok'}` }, missing ? `${missing} ${t('missing')}` : `✓ ${t('complete')}`),
    review);
}

/** The card's stage, and for a co-coordinator how many edit sessions are
 *  new since their last review (from the server's review record). */
async function reviewBadges(url: string, into: HTMLElement, staged: (stage: string) => void) {
  let v: ReviewView;
  let last: HistoryPage['sessions'][number] | undefined;
  try {
    [v, last] = await Promise.all([
      api<ReviewView>('GET', `/api/documents/${encodeURIComponent(url)}/review`),
      api<HistoryPage>('GET', `/api/documents/${encodeURIComponent(url)}/history?limit=1`).then((p) => p.sessions[0]).catch(() => undefined),
    ]);
  } catch {
    return;
  }
  staged(v.stage);
  into.replaceChildren(
    h('span', { class: 'badge stage', 'data-stage': v.stage }, t(`stage.${v.stage}` as UiKey)),
    last ? h('span', { class: 'last-edit hint' }, `${t('home.lastEdit')} `, h('bdi', {}, last.user_name), ` · ${when(last.to_ms)}`) : '',
    v.allowed.mark_reviewed && v.new_sessions > 0
      ? h('span', { class: 'badge todo new-since-review', title: t('newSessions') }, `${v.new_sessions} ${t('newSessions')}`)
      : '');
}
