// A body's meetings (#/meetings/<body>): the cadence (last meeting, next
// one, a warning after six months without one), the meetings newest
// first, and for its organisers a form to schedule one (title in three
// languages, date and time in Casablanca, format, video link, agenda,
// invitees). Everything here is the server's record.

import { api, GroupView, Member } from './api';
import { h, uid } from './dom';
import { errorText } from './errors';
import { label, lang, LANGS, t, UiKey } from './i18n';
import { labelled } from './fields';
import { when } from './review';
import { formatDate } from './app';
import { dateInput } from './date';
import { readableCards } from './meeting-records';
import type { BodyMeetings, MeetingSummary, MeetingView, Titles } from './meetings-api';

/** The best title in the interface language. */
export function titleOf(t3: Titles): string {
  return t3[lang()] || t3.ar || t3.fr || t3.zgh || '—';
}

export async function showMeetings(main: HTMLElement, body: string): Promise<() => void> {
  let list: BodyMeetings;
  try {
    list = await api<BodyMeetings>('GET', `/api/bodies/${encodeURIComponent(body)}/meetings`);
  } catch (e) {
    main.append(h('p', { class: 'error', role: 'alert' }, errorText(e)), h('a', { href: '#/' }, t('back')));
    return () => undefined;
  }
  const c = list.cadence;
  const cadence = h('section', { class: 'panel cadence', 'aria-labelledby': 'cad-h' },
    h('h2', { id: 'cad-h' }, t('mt.cadence')),
    h('dl', {},
      h('dt', {}, t('mt.last')), h('dd', {}, c.last_ms ? when(c.last_ms) : t('mt.none')),
      h('dt', {}, t('mt.next')), h('dd', {}, c.next_ms ? when(c.next_ms) : t('mt.none'))),
    c.overdue ? h('p', { class: 'notice warn overdue', role: 'note' }, t('mt.overdue')) : null);
  const items = list.meetings.length
    ? h('ul', { class: 'meetings' }, list.meetings.map(meetingLink))
    : h('p', { class: 'empty' }, t('mt.noMeetings'));
  main.append(
    h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, t('back'))),
    h('h1', {}, `${t('mt.meetings')} — ${label(`group.${body}`)}`),
    cadence,
    h('section', { class: 'panel', 'aria-labelledby': 'mt-list' }, h('h2', { id: 'mt-list' }, t('mt.meetings')), items),
  );
  if (list.can_schedule) main.append(await scheduleForm(body));
  return () => undefined;
}

function meetingLink(m: MeetingSummary): HTMLElement {
  return h('li', {},
    h('a', { href: `#/meeting/${encodeURIComponent(m.id)}`, class: 'meeting-link' },
      h('span', { class: 'date' }, `${formatDate(m.date, lang())} ${m.time}`),
      ' ',
      h('span', { class: 'title', dir: 'auto' }, titleOf(m.title)),
      ' ',
      h('span', { class: 'badge', 'data-status': m.status }, t(`mt.status.${m.status}` as UiKey))));
}

function input(attrs: Record<string, string | number | boolean>): HTMLInputElement {
  return h('input', { id: uid(), ...attrs });
}

/** The form that schedules a meeting of `body`. */
async function scheduleForm(body: string): Promise<HTMLElement> {
  const members = await api<Member[]>('GET', `/api/groups/${encodeURIComponent(body)}/members`).catch(() => [] as Member[]);
  const cards = await readableCards();
  const titles = { ar: input({ type: 'text', lang: 'ar', dir: 'rtl', class: 'mt-title' }), fr: input({ type: 'text', lang: 'fr', dir: 'ltr', class: 'mt-title' }), zgh: input({ type: 'text', lang: 'zgh', dir: 'ltr', class: 'mt-title' }) };
  const date = dateInput(t('mt.date'), { class: 'mt-date', id: uid() });
  const time = input({ type: 'time', value: '10:00', class: 'mt-time' });
  const format = h('select', { id: uid() }, (['remote', 'in_person', 'hybrid'] as const).map((f) => h('option', { value: f }, t(`mt.format.${f}`))));
  const link = input({ type: 'url', placeholder: 'https://', class: 'mt-link' });
  const agenda = h('ol', { class: 'agenda-form' });
  const addItem = () => {
    const title = input({ type: 'text', class: 'item-title', dir: 'auto', lang: lang() });
    // The item's title in the other languages too.
    const others = LANGS.filter((l) => l !== lang()).map((l) => input({ type: 'text', class: 'item-title-other', 'data-lang': l, lang: l, dir: l === 'ar' ? 'rtl' : 'ltr' }));
    const presenter = input({ type: 'text', class: 'item-presenter', dir: 'auto' });
    const minutes = input({ type: 'number', min: 1, max: 600, value: 30, class: 'item-minutes' });
    const start = input({ type: 'time', class: 'item-start' });
    const linked = h('select', { id: uid(), class: 'item-cards', multiple: true, size: Math.min(4, Math.max(2, cards.length)) },
      cards.map(([u, l]) => h('option', { value: u }, l)));
    const proposals = input({ type: 'text', class: 'item-proposals', dir: 'ltr', placeholder: 'ABCDE-FGHJK, …' });
    agenda.append(h('li', { class: 'agenda-row' },
      labelled(`${t('mt.itemTitle')} — ${label(`lang.${lang()}`)}`, title),
      ...others.map((o) => labelled(`${t('mt.itemTitle')} — ${label(`lang.${o.dataset.lang}`)}`, o)),
      labelled(t('mt.presenter'), presenter),
      labelled(t('mt.minutesPlanned'), minutes), labelled(t('mt.start'), start),
      labelled(t('mt.linkedCards'), linked), labelled(t('mt.linkedProposals'), proposals)));
  };
  addItem();
  const more = h('button', { type: 'button', class: 'add-item' }, `+ ${t('mt.addItem')}`);
  more.addEventListener('click', addItem);
  const invite = h('fieldset', { class: 'invitees' }, h('legend', {}, t('mt.invitees')),
    members.map((m) => h('div', { class: 'invitee-row' },
      h('label', { class: 'check' },
        h('input', { type: 'checkbox', value: m.user.id, checked: true }),
        h('bdi', {}, m.user.name), ` · ${m.user.organisation}`),
      h('input', { type: 'text', class: 'invitee-function', 'data-user': m.user.id, dir: 'auto', 'aria-label': `${t('mt.function')} — ${m.user.name}`, placeholder: t('mt.function') }))));
  const msg = h('p', { class: 'error', role: 'alert' });
  const go = h('button', { type: 'submit' }, t('mt.create'));
  const form = h('form', { class: 'panel schedule', 'aria-labelledby': 'sch-h', novalidate: true },
    h('h2', { id: 'sch-h' }, t('mt.schedule')),
    labelled(`${t('mt.title')} — ${label('lang.ar')}`, titles.ar),
    labelled(`${t('mt.title')} — ${label('lang.fr')}`, titles.fr),
    labelled(`${t('mt.title')} — ${label('lang.zgh')}`, titles.zgh),
    labelled(t('mt.date'), date), labelled(t('mt.time'), time),
    labelled(t('mt.format'), format), labelled(t('mt.link'), link),
    h('h3', {}, t('mt.agenda')), agenda, more, invite, go, msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.textContent = '';
    const plan = {
      title: { ar: titles.ar.value, fr: titles.fr.value, zgh: titles.zgh.value },
      date: date.value,
      time: time.value,
      format: format.value,
      link: link.value,
      agenda: [...agenda.querySelectorAll('li')].map((li) => ({
        title: {
          [lang()]: li.querySelector<HTMLInputElement>('.item-title')!.value,
          ...Object.fromEntries([...li.querySelectorAll<HTMLInputElement>('.item-title-other')].map((o) => [o.dataset.lang!, o.value])),
        },
        presenter: li.querySelector<HTMLInputElement>('.item-presenter')!.value,
        minutes: Number(li.querySelector<HTMLInputElement>('.item-minutes')!.value) || 0,
        start: li.querySelector<HTMLInputElement>('.item-start')!.value || null,
        cards: [...li.querySelector<HTMLSelectElement>('.item-cards')!.selectedOptions].map((o) => o.value),
        proposals: li.querySelector<HTMLInputElement>('.item-proposals')!.value.split(/[\s,;]+/).filter((c) => c),
      })),
      invite: [...invite.querySelectorAll<HTMLInputElement>('input[type=checkbox]:checked')].map((i) => i.value),
      functions: Object.fromEntries([...invite.querySelectorAll<HTMLInputElement>('input.invitee-function')]
        .filter((i) => i.value.trim()).map((i) => [i.dataset.user!, i.value.trim()])),
    };
    try {
      const m = await api<MeetingView>('POST', `/api/bodies/${encodeURIComponent(body)}/meetings`, plan);
      location.hash = `#/meeting/${encodeURIComponent(m.id)}`;
    } catch (err) {
      msg.textContent = errorText(err);
    }
  });
  return form;
}

/** The bodies a person sees meetings of: groups they belong to (the
 *  committee among them), or all for the secretariat and administrators. */
export function bodiesOf(groups: GroupView[], all: boolean): GroupView[] {
  return groups.filter((g) => g.id !== 'secretariat' && (all || g.role !== null));
}
