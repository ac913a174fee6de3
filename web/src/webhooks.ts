// A group's webhooks, for its co-coordinators: register a URL (its secret
// is shown once, to verify the X-Codraft-Signature header), which events,
// remove it, and the delivery log (each try, its status or error).

import { api } from './api';
import type { components } from './api.gen';
import { h } from './dom';
import { errorText } from './errors';
import { t, UiKey } from './i18n';
import { when } from './review';

type HookView = components['schemas']['HookView'];
type CreatedHook = components['schemas']['CreatedHook'];
type HookEvent = components['schemas']['HookEvent'];

const EVENTS: HookEvent[] = ['stage_changed', 'approved', 'comment'];

export function webhooksPanel(group: string): HTMLElement {
  const el = h('section', { class: 'panel webhooks', 'aria-labelledby': 'hooks-title' });
  const msg = h('p', { class: 'error', role: 'alert' });
  const list = h('div', { class: 'hook-list' });
  const secret = h('div', { class: 'hook-secret', role: 'status' });
  const url = h('input', { type: 'url', dir: 'ltr', placeholder: 'https://', 'aria-label': t('webhookUrl') });
  const boxes = EVENTS.map((e) => {
    const b = h('input', { type: 'checkbox', value: e });
    b.checked = true;
    return b;
  });
  const form = h('form', { novalidate: true },
    h('label', {}, `${t('webhookUrl')} `, url),
    h('fieldset', {}, h('legend', {}, t('webhookEvents')),
      ...EVENTS.map((e, i) => h('label', { class: 'check' }, boxes[i], t(`hook.${e}` as UiKey)))),
    h('button', { type: 'submit' }, t('addWebhook')), secret);
  const path = `/api/groups/${encodeURIComponent(group)}/webhooks`;
  const draw = async () => {
    let hooks: HookView[];
    try {
      hooks = await api<HookView[]>('GET', path);
    } catch (e) {
      msg.textContent = errorText(e);
      return;
    }
    list.replaceChildren(...(hooks.length ? hooks.map((hk) => {
      const del = h('button', { type: 'button' }, t('delete'));
      del.addEventListener('click', async () => {
        if (!confirm(t('confirmDeleteWebhook'))) return;
        try {
          await api('DELETE', `${path}/${hk.id}`);
        } catch (e) {
          msg.textContent = errorText(e);
        }
        await draw();
      });
      const log = hk.log.map((e) => h('li', { class: e.ok ? 'ok' : 'failed' },
        `${when(e.time_ms)} · ${t(`hook.${e.event}` as UiKey)} · #${e.attempt} · `,
        e.ok ? `${e.status}` : `${e.error ?? ''}${e.gave_up ? ` · ${t('gaveUp')}` : ''}`));
      return h('article', { class: 'hook' },
        h('p', {}, h('code', { dir: 'ltr' }, hk.url), ' ', del),
        h('p', { class: 'hint' }, hk.events.map((e) => t(`hook.${e}` as UiKey)).join(' · ')),
        h('details', {}, h('summary', {}, `${t('deliveries')} (${hk.log.length})`), h('ol', { class: 'hook-log' }, ...log)));
    }) : [h('p', { class: 'empty' }, t('noWebhooks'))]));
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.textContent = '';
    try {
      const made = await api<CreatedHook>('POST', path, { url: url.value, events: EVENTS.filter((_, i) => boxes[i].checked) });
      secret.replaceChildren(h('p', {}, t('webhookSecret')), h('input', { readonly: true, value: made.secret, dir: 'ltr', class: 'link', 'aria-label': t('webhookSecret') }));
      url.value = '';
      await draw();
    } catch (x) {
      msg.textContent = errorText(x);
    }
  });
  el.append(h('h2', { id: 'hooks-title' }, t('webhooks')), list, form, msg);
  void draw();
  return el;
}
