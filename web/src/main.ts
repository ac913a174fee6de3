// Codraft's web app: boots the WASM client, draws the header (language,
// who I am, connection and save state) and routes between the groups and
// the card editor (#/ and #/card/<automerge url>).

import './style.css';
import { app, cardLabels, COLOURS } from './app';
import { h, uid } from './dom';
import { LANGS, Lang, label, savedLang, setLang, t, useLabels } from './i18n';
import { showHome } from './home';
import { CardEditor } from './editor';

const main = document.getElementById('main')!;
const top = document.getElementById('top')!;
let workspace = '';
let leave: (() => void) | null = null;
let current: string | null = null;
const saveStates = new Map<string, string>();

async function boot() {
  await app.start();
  useLabels((l: Lang) => cardLabels(l) as Record<string, string>);
  setLang(savedLang());
  const res = await fetch('/api/workspace');
  workspace = (await res.json()).url;
  app.on((e) => {
    if (e.type === 'save') saveStates.set(e.url, e.state);
    if (e.type === 'connection' || e.type === 'save') drawStatus();
    if (e.type === 'error') drawStatus(e.message);
  });
  drawHeader();
  await app.client.open(workspace);
  window.addEventListener('hashchange', () => void route());
  await route();
}

function drawHeader() {
  const langSel = h('select', { id: uid() }, LANGS.map((l) => h('option', { value: l, lang: l }, label(`lang.${l}`))));
  langSel.value = savedLang();
  langSel.addEventListener('change', () => {
    setLang(langSel.value as Lang);
    drawHeader();
    void route(true);
  });
  const name = h('input', { id: uid(), value: app.me.name, dir: 'auto', autocomplete: 'name', size: 14 });
  name.addEventListener('change', () => app.setMe({ ...app.me, name: name.value.trim() || app.me.name }));
  const sector = h('select', { id: uid() }, ['administration', 'civil_society', 'academia', 'other'].map((s) =>
    h('option', { value: s }, t(`sector.${s}` as any))));
  sector.value = app.me.sector;
  sector.addEventListener('change', () => app.setMe({ ...app.me, sector: sector.value }));
  const colour = h('span', { class: 'dot big', style: `background:${app.me.colour}`, 'aria-hidden': 'true' });
  colour.addEventListener('click', () => {
    app.setMe({ ...app.me, colour: COLOURS[(COLOURS.indexOf(app.me.colour) + 1) % COLOURS.length] });
    drawHeader();
  });
  document.querySelector('.skip')!.textContent = t('skip');
  top.replaceChildren(
    h('a', { href: '#/', class: 'brand' }, 'Codraft'),
    h('div', { class: 'me-box' }, colour,
      h('label', { for: name.id, class: 'sr' }, t('yourName')), name,
      h('label', { for: sector.id, class: 'sr' }, t('sector')), sector),
    h('div', { class: 'lang-box' }, h('label', { for: langSel.id }, t('language')), langSel),
    h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
  );
  drawStatus();
}

/** The save state of the open card (or the connection) — always visible. */
function drawStatus(error?: string) {
  const el = document.getElementById('status');
  if (!el) return;
  let state = app.connection === 'online' ? (current ? saveStates.get(current) ?? 'saved' : 'online') : app.connection;
  if (state === 'offline' && current && saveStates.get(current) === 'saved') state = 'offline';
  el.dataset.state = state;
  el.textContent = error ? `${t('error')}: ${error}` : t(state as any);
}

async function route(redraw = false) {
  const m = location.hash.match(/^#\/card\/(.+)$/);
  const url = m ? decodeURIComponent(m[1]) : null;
  if (!redraw && url === current && leave) return;
  leave?.();
  leave = null;
  current = url;
  drawStatus();
  if (!url) {
    leave = await showHome(main, workspace);
    return;
  }
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    await app.client.open(url);
  } catch {
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('notFound')), h('a', { href: '#/' }, t('back')));
    return;
  }
  if (current !== url) return;
  const editor = new CardEditor(url);
  main.replaceChildren(editor.el);
  leave = () => editor.destroy();
  try {
    saveStates.set(url, app.client.saveState(url));
  } catch {
    /* not open */
  }
  drawStatus();
}

boot().catch((e) => {
  main.replaceChildren(h('p', { class: 'error', role: 'alert' }, String(e)));
  console.error(e);
});
