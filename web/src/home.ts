// Home: the six thematic groups and their cards.

import { app, blankCard, validateCard, Issue } from './app';
import { h } from './dom';
import { label, lang, t } from './i18n';

interface WorkspaceDoc {
  groups: { id: string; cards: string[] }[];
}

export async function showHome(main: HTMLElement, workspace: string): Promise<() => void> {
  const ws = app.client.read(workspace, []) as WorkspaceDoc;
  const urls = ws.groups.flatMap((g) => g.cards);
  // Open every card so its title and completeness show (a workspace holds
  // tens of cards, not thousands).
  await Promise.allSettled(urls.map((u) => app.client.open(u)));
  const render = () => {
    const ws = app.client.read(workspace, []) as WorkspaceDoc;
    main.replaceChildren(
      h('h1', {}, t('home')),
      h('p', { class: 'intro' }, t('intro')),
      h('div', { class: 'groups' }, ws.groups.map((g, gi) => group(g, gi))),
    );
  };
  const group = (g: WorkspaceDoc['groups'][number], gi: number) => {
    const add = h('button', { type: 'button', class: 'add' }, `+ ${t('newCard')}`);
    add.addEventListener('click', () => {
      const url = app.client.create(blankCard(g.id));
      app.client.insert(workspace, ['groups', gi, 'cards'], g.cards.length, url);
      location.hash = `#/card/${encodeURIComponent(url)}`;
    });
    return h('section', { class: 'group panel', 'aria-labelledby': `g-${g.id}` },
      h('h2', { id: `g-${g.id}` }, label(`group.${g.id}`)),
      g.cards.length === 0 ? h('p', { class: 'empty' }, t('noCards'))
        : h('ul', { class: 'cards' }, g.cards.map((u) => h('li', {}, cardLink(u)))),
      add);
  };
  render();
  const off = app.on((e) => {
    if (e.type === 'change' && (e.url === workspace || isCard(e.url))) render();
  });
  const isCard = (u: string) => (app.client.read(workspace, []) as WorkspaceDoc).groups.some((g) => g.cards.includes(u));
  return off;
}

function cardLink(url: string): HTMLElement {
  let doc: any;
  try {
    doc = app.client.read(url, []);
  } catch {
    return h('span', { class: 'unavailable' }, t('notFound'));
  }
  const title = doc?.title?.[lang()]?.text || doc?.title?.ar?.text || doc?.title?.fr?.text || t('untitled');
  const issues = validateCard(doc, lang()) as Issue[];
  const missing = issues.filter((i) => i.severity === 'required').length;
  return h('a', { href: `#/card/${encodeURIComponent(url)}`, class: 'card-link' },
    doc.number ? h('span', { class: 'number' }, doc.number) : null,
    h('span', { class: 'title', dir: 'auto' }, title),
    h('span', { class: `badge ${missing ? 'todo' : 'ok'}` }, missing ? `${missing} ${t('missing')}` : `✓ ${t('complete')}`));
}
