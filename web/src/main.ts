// Codraft's web app: boots the WASM client, signs in, draws the header
// (language, who I am, connection and save state) and routes:
//   #/                 the thematic groups and their cards
//   #/group/<id>       a group's members (co-coordinators manage them)
//   #/card/<url>       the card editor
//   #/inbox            my notifications
//   #/meetings/<body>  a body's meetings (the committee, a group)
//   #/meeting/<url>    a meeting's live page and minutes
//   #/proposals        working on the proposals (secretariat, co-coordinators)
//   #/scoring          the committee's blind scoring rounds
//   #/public, #/propose, #/proposal/<code>   the revision in public (no account)
//   #/invite/<token>   accepting an invitation (no account needed)

import './style.css';
import { app, cardLabels, COLOURS } from './app';
import { api, ApiError, Me } from './api';
import { errorText, syncErrorText } from './errors';
import type { SaveState } from './events';
import { h, uid } from './dom';
import { LANGS, Lang, savedLang, setLang, t, useLabels } from './i18n';
import { showHome } from './home';
import { showGroup } from './group';
import { showInvitation, showSignIn } from './signin';
import { CardEditor } from './editor';
import { bell, showInbox } from './inbox';
import { forget, keepShell, kept } from './offline';
import { showMeetings } from './meetings';
import { showMeeting } from './meeting';
import { showPropose, showProposal, showPublic } from './public';
import { showProposals } from './proposals';
import { showScoring } from './scoring';
import { Draft, fetchDraft, replay } from './draft';

const main = document.getElementById('main')!;
const top = document.getElementById('top')!;
let leave: (() => void) | null = null;
/** Counts navigations: a slow page that finishes loading after the user
 * went elsewhere does not replace the newer one. */
let navigation = 0;
let current: string | null = null;
const saveStates = new Map<string, SaveState>();

/** The WASM client compiled and started (set by `boot`). */
let ready: Promise<void> = Promise.resolve();
/** A card drawn from the server's copy before the WASM client was in. */
let drafted: { url: string; editor: CardEditor } | null = null;

const cardOf = (hash: string) => {
  const m = hash.match(/^#\/card\/(.+)$/);
  return m ? decodeURIComponent(m[1]) : null;
};

async function boot() {
  // Who is signed in is asked while the WASM client downloads and compiles
  // (index.html preloads it): on a slow network the two overlap.
  const me = kept<Me>('/api/me');
  me.catch(() => undefined);
  ready = app.start();
  ready.catch(() => undefined);
  // A card's link: its server copy and description come with /api/me, so
  // that on a slow network the card shows, and takes typing, before the
  // WASM client is in (draft.ts).
  const linked = cardOf(location.hash);
  // (Not when a service worker has the client kept: it is in at once.)
  const draft = linked && !navigator.serviceWorker?.controller ? fetchDraft(linked) : null;
  let account: Me | null = null;
  try {
    account = await me;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      await ready;
      throw e;
    }
  }
  // Signed out: the sign-in page shows at once, and the WASM client
  // compiles behind it while the person types (the public pages and an
  // invitation wait for it: they use its labels and dates).
  const early = !account && !/^#\/(invite|public|propose|proposal)/.test(location.hash);
  if (early) {
    setLang(savedLang());
    drawHeader();
    await route();
  } else if (account && draft && linked) {
    const got = await Promise.race([draft, ready.then(() => null)]);
    if (got && !app.wasm) {
      app.described(got.description);
      useLabels((l: Lang) => cardLabels(l) as Record<string, string>);
      setLang(savedLang());
      app.setAccount(account);
      app.client = new Draft(linked, got.snapshot);
      drawHeader();
      await route();
    }
  }
  await ready;
  useLabels((l: Lang) => cardLabels(l) as Record<string, string>);
  setLang(savedLang());
  app.on((e) => {
    if (e.type === 'save') saveStates.set(e.url, e.state);
    if (e.type === 'connection' || e.type === 'save') drawStatus();
    if (e.type === 'error') drawStatus(syncErrorText(e.message));
  });
  keepShell();
  if (account) app.signedIn(account);
  drawHeader();
  window.addEventListener('hashchange', () => void route());
  if (app.client instanceof Draft) await goLive(app.client);
  else if (!early) await route(true);
}

/** The live client is in: the drafted card opens in it, what was typed
 *  is merged, and the editor goes live where the person is. */
async function goLive(draft: Draft) {
  const live = app.live!;
  let open = true;
  try {
    await live.open(draft.url);
  } catch {
    open = false;
  }
  // The words typed go in, wherever the person went meanwhile (then they
  // are kept in localStorage until the card is opened next).
  if (open) replay(live, draft.url, draft);
  if (app.client !== draft) return;
  app.client = live;
  const d = drafted;
  drafted = null;
  if (open && d?.url === draft.url && cardOf(location.hash) === draft.url) {
    d.editor.goLive();
    saveStates.set(draft.url, live.saveState(draft.url) as SaveState);
    drawStatus();
  } else {
    await route(true);
  }
}

/** After signing in (or accepting an invitation). */
export async function afterSignIn(me: Me) {
  localStorage.setItem('codraft.kept./api/me', JSON.stringify(me));
  await ready;
  app.signedIn(me);
  drawHeader();
  // A link opened while signed out (a card, a group, the inbox) is where
  // the person was going; an accepted invitation leads home.
  if (location.hash.startsWith('#/invite/')) location.hash = '#/';
  else await route(true);
}

function drawHeader() {
  const langSel = h('select', { id: uid() }, LANGS.map((l) => h('option', { value: l }, t(`langName.${l}`))));
  langSel.value = savedLang();
  langSel.addEventListener('change', () => {
    setLang(langSel.value as Lang);
    drawHeader();
    void route(true);
  });
  document.querySelector('.skip')!.textContent = t('skip');
  const items: (HTMLElement | null)[] = [h('a', { href: '#/', class: 'brand' }, 'Codraft')];
  if (app.account) {
    const colour = h('button', { type: 'button', class: 'dot big', style: `background:${app.me.colour}`, 'aria-label': t('colour'), title: t('colour') });
    colour.addEventListener('click', () => {
      app.setMe({ ...app.me, colour: COLOURS[(COLOURS.indexOf(app.me.colour) + 1) % COLOURS.length] });
      drawHeader();
    });
    const out = h('button', { type: 'button', class: 'sign-out' }, t('signOut'));
    out.addEventListener('click', async () => {
      await api('DELETE', '/api/session').catch(() => undefined);
      forget();
      location.hash = '#/';
      location.reload();
    });
    items.push(bell());
    items.push(h('div', { class: 'me-box' }, colour,
      h('span', { class: 'who' }, h('bdi', {}, app.account.user.name), ` · ${t(`sector.${app.account.user.sector}`)}`),
      out));
  }
  items.push(h('div', { class: 'lang-box' }, h('label', { for: langSel.id }, t('language')), langSel));
  items.push(h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }));
  top.replaceChildren(...items.filter((x): x is HTMLElement => x !== null));
  drawStatus();
}

/** The save state of the open card (or the connection) — always visible. */
function drawStatus(error?: string) {
  const el = document.getElementById('status');
  if (!el) return;
  if (!app.account) {
    el.hidden = true;
    return;
  }
  el.hidden = false;
  const state = drafted ? 'draft' : app.connection === 'online' ? (current ? saveStates.get(current) ?? 'saved' : 'online') : app.connection;
  el.dataset.state = state;
  el.textContent = error ? `${t('error')}: ${error}` : t(state);
}

async function route(redraw = false) {
  const hash = location.hash;
  const invite = hash.match(/^#\/invite\/(.+)$/);
  const card = cardOf(hash);
  // Away from a drafted card once the live client is in: pages use it (the
  // words typed there are merged when the card is opened next).
  if (app.client instanceof Draft && card !== app.client.url && app.live) {
    app.client = app.live;
    drafted = null;
  }
  const group = hash.match(/^#\/group\/(.+)$/);
  const meetings = hash.match(/^#\/meetings\/(.+)$/);
  const meeting = hash.match(/^#\/meeting\/(.+)$/);
  const key = hash || '#/';
  if (!redraw && key === current && leave) return;
  leave?.();
  leave = null;
  const nav = ++navigation;
  // Each page draws into its own element, shown only if still wanted.
  const view = h('div', { class: 'view' });
  const show = (cleanup: (() => void) | null) => {
    if (nav !== navigation) {
      cleanup?.();
      return;
    }
    main.replaceChildren(view);
    leave = cleanup;
  };
  current = card ?? (meeting ? decodeURIComponent(meeting[1]) : null);
  drawStatus();
  if (invite) {
    await showInvitation(view, decodeURIComponent(invite[1]), afterSignIn);
    show(null);
    return;
  }
  // The revision in public: no account needed.
  const proposal = hash.match(/^#\/proposal\/(.+)$/);
  const commentOn = hash.match(/^#\/propose\/(.+)$/);
  if (hash === '#/public' || hash === '#/propose' || proposal || commentOn) {
    try {
      if (hash === '#/public') show(await showPublic(view));
      else if (hash === '#/propose') show(showPropose(view));
      else if (commentOn) show(showPropose(view, decodeURIComponent(commentOn[1])));
      else show(await showProposal(view, decodeURIComponent(proposal![1])));
    } catch (e) {
      view.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
      show(null);
    }
    return;
  }
  if (!app.account) {
    showSignIn(view, afterSignIn);
    show(null);
    view.querySelector<HTMLInputElement>('input')?.focus();
    return;
  }
  if (group) {
    show(await showGroup(view, decodeURIComponent(group[1])));
    return;
  }
  if (meetings) {
    show(await showMeetings(view, decodeURIComponent(meetings[1])));
    return;
  }
  if (meeting) {
    show(await showMeeting(view, decodeURIComponent(meeting[1])));
    return;
  }
  if (hash === '#/scoring') {
    show(await showScoring(view));
    return;
  }
  if (hash === '#/proposals') {
    show(await showProposals(view));
    return;
  }
  if (hash === '#/inbox') {
    show(await showInbox(view));
    return;
  }
  if (!card) {
    show(await showHome(view));
    return;
  }
  const url = current!;
  if (!main.querySelector('.card-editor')) main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  let info: { group: string } | null = null;
  try {
    // The card's group and its document, at once.
    [info] = await Promise.all([kept<{ group: string }>(`/api/documents/${encodeURIComponent(url)}`), app.client.open(url)]);
    // Typed into this card before a reload, while the client was not in.
    if (app.live && !(app.client instanceof Draft)) replay(app.live, url);
  } catch {
    view.append(h('p', { class: 'error', role: 'alert' }, t('notFound')), h('a', { href: '#/' }, t('back')));
    show(null);
    return;
  }
  if (nav !== navigation) return;
  const role = app.account.groups.find((g) => g.group === info!.group)?.role;
  // Observers, and readers from outside the group (the committee's
  // secretariat), read only.
  const readOnly = !app.account.user.admin && role !== 'co_coordinator' && role !== 'member';
  performance.mark('codraft:editor-start');
  const editor = new CardEditor(url, readOnly, role ?? null);
  performance.measure('codraft:editor', 'codraft:editor-start');
  view.append(editor.el);
  show(() => editor.destroy());
  drafted = app.client instanceof Draft ? { url, editor } : null;
  try {
    saveStates.set(url, app.client.saveState(url) as SaveState);
  } catch {
    /* not open */
  }
  drawStatus();
}

boot().catch((e) => {
  main.replaceChildren(h('p', { class: 'error', role: 'alert' }, String(e)));
  console.error(e);
});
