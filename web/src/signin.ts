// Signing in, and accepting an invitation (which creates the account).

import { api, Invitation, Me, SECTORS } from './api';
import { errorText } from './errors';
import { h, uid } from './dom';
import { label, t } from './i18n';

function field(text: string, input: HTMLInputElement | HTMLSelectElement, hint?: string): HTMLElement {
  input.id = input.id || uid();
  const hintId = hint ? uid('hint') : undefined;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'row' }, h('label', { for: input.id }, text), input, hint ? h('p', { id: hintId, class: 'hint' }, hint) : null);
}

function errorBox(): HTMLElement {
  return h('p', { class: 'error', role: 'alert', 'aria-live': 'assertive' });
}

export function showSignIn(main: HTMLElement, done: (me: Me) => Promise<void>) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, dir: 'ltr' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const err = errorBox();
  const form = h('form', { class: 'panel narrow', 'aria-labelledby': 'signin-title', novalidate: true },
    h('h1', { id: 'signin-title' }, t('signIn')),
    field(t('email'), email), field(t('password'), password), err,
    h('button', { type: 'submit', class: 'primary' }, t('signIn')),
    h('p', { class: 'public-links' }, h('a', { href: '#/public' }, t('pr.public')), ' · ', h('a', { href: '#/propose' }, t('pr.propose'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      await done(await api<Me>('POST', '/api/session', { email: email.value, password: password.value }));
    } catch (x) {
      err.textContent = errorText(x);
    }
  });
  main.replaceChildren(form);
}

export async function showInvitation(main: HTMLElement, token: string, done: (me: Me) => Promise<void>) {
  let inv: Invitation;
  try {
    inv = await api<Invitation>('GET', `/api/invitations/${encodeURIComponent(token)}`);
  } catch (x) {
    main.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(x)));
    return;
  }
  const name = h('input', { name: 'name', autocomplete: 'name', required: true, dir: 'auto' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true, dir: 'ltr', value: inv.email ?? '' });
  const org = h('input', { name: 'organisation', autocomplete: 'organization', dir: 'auto' });
  const sector = h('select', { name: 'sector' }, SECTORS.map((s) => h('option', { value: s }, t(`sector.${s}`))));
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const err = errorBox();
  const form = h('form', { class: 'panel narrow', 'aria-labelledby': 'invite-title', novalidate: true },
    h('h1', { id: 'invite-title' }, `${t('invitedTo')} «${label(`group.${inv.group}`)}»`),
    h('p', {}, `${t('role')}: ${t(`role.${inv.role}`)}`),
    field(t('name'), name), field(t('email'), email), field(t('organisation'), org), field(t('sector'), sector),
    field(t('password'), password, t('passwordHint')), err,
    h('button', { type: 'submit', class: 'primary' }, t('createAccount')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      const me = await api<Me>('POST', `/api/invitations/${encodeURIComponent(token)}/accept`, {
        name: name.value, email: email.value, organisation: org.value, sector: sector.value, password: password.value,
      });
      await done(me);
    } catch (x) {
      err.textContent = errorText(x);
    }
  });
  main.replaceChildren(form);
  name.focus();
}
