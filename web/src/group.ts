// A thematic group's members. Co-coordinators (and site administrators)
// change roles, remove people and invite by single-use links; the server
// enforces the rules (one co-coordinator from the administration, one from
// civil society) and its messages are shown as they are.

import { app } from './app';
import { api, InvitationLink, Member, Role } from './api';
import { errorText } from './errors';
import { h, uid } from './dom';
import { label, lang, t } from './i18n';
import { webhooksPanel } from './webhooks';

const ROLES: Role[] = ['co_coordinator', 'member', 'observer'];

export async function showGroup(main: HTMLElement, group: string): Promise<() => void> {
  const err = h('p', { class: 'error', role: 'alert' });
  const manages = app.account!.user.admin || app.account!.groups.some((g) => g.group === group && g.role === 'co_coordinator');
  const render = async () => {
    let members: Member[];
    try {
      members = await api<Member[]>('GET', `/api/groups/${group}/members`);
    } catch (x) {
      main.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(x)), h('a', { href: '#/' }, t('back')));
      return;
    }
    const rows = members.map((m) => {
      const roleCell: HTMLElement = manages
        ? (() => {
            const sel = h('select', { 'aria-label': `${t('role')} — ${m.user.name}` }, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
            sel.value = m.role;
            sel.addEventListener('change', async () => {
              err.textContent = '';
              try {
                await api('PUT', `/api/groups/${group}/members/${m.user.id}`, { role: sel.value });
              } catch (x) {
                err.textContent = errorText(x);
              }
              await render();
            });
            return sel;
          })()
        : h('span', {}, t(`role.${m.role}`));
      // Nobody removes themselves from here (it would lock them out).
      const mine = m.user.id === app.account!.user.id;
      const remove = manages && !mine ? h('button', { type: 'button', 'aria-label': `${t('remove')} — ${m.user.name}` }, t('remove')) : null;
      remove?.addEventListener('click', async () => {
        if (!confirm(`${t('confirmRemoveMember')} (${m.user.name})`)) return;
        err.textContent = '';
        try {
          await api('DELETE', `/api/groups/${group}/members/${m.user.id}`);
        } catch (x) {
          err.textContent = errorText(x);
        }
        await render();
      });
      return h('tr', {}, h('td', {}, h('bdi', {}, m.user.name)), h('td', { dir: 'auto' }, m.user.organisation),
        h('td', {}, t(`sector.${m.user.sector}`)), h('td', {}, roleCell), h('td', {}, remove));
    });
    const invite = manages ? inviteForm(group, err) : null;
    const hooks = manages ? webhooksPanel(group) : null;
    main.replaceChildren(
      h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, t('back'))),
      h('h1', {}, label(`group.${group}`)),
      h('section', { class: 'panel', 'aria-labelledby': 'members-title' },
        h('h2', { id: 'members-title' }, t('members')),
        h('table', { class: 'members' },
          h('thead', {}, h('tr', {}, ...[t('name'), t('organisation'), t('sector'), t('role'), ''].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, rows)),
        err),
      ...(invite ? [invite] : []),
      ...(hooks ? [hooks] : []),
    );
  };
  await render();
  return () => undefined;
}

function inviteForm(group: string, err: HTMLElement): HTMLElement {
  const role = h('select', { id: uid() }, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
  role.value = 'member';
  const email = h('input', { id: uid(), type: 'email', dir: 'ltr' });
  const out = h('div', { class: 'invite-link' });
  const form = h('form', { class: 'panel', 'aria-labelledby': 'invite-form-title', novalidate: true },
    h('h2', { id: 'invite-form-title' }, t('invite')),
    h('div', { class: 'row' }, h('label', { for: role.id }, t('role')), role),
    h('div', { class: 'row' }, h('label', { for: email.id }, t('email')), email),
    h('button', { type: 'submit', class: 'primary' }, t('invite')), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      // The invitation e-mail is in the inviter's interface language.
      const inv = await api<InvitationLink>('POST', `/api/groups/${group}/invitations`, { role: role.value, email: email.value || null, lang: lang() });
      const link = `${location.origin}${inv.path}`;
      const box = h('input', { readonly: true, value: link, dir: 'ltr', 'aria-label': t('inviteLink'), class: 'link' });
      out.replaceChildren(...(inv.emailed ? [h('p', { class: 'emailed', role: 'status' }, `${t('invitationEmailed')} `, h('bdi', {}, email.value))] : []), h('p', {}, t('inviteLink')), box);
      box.select();
    } catch (x) {
      err.textContent = errorText(x);
    }
  });
  return form;
}
