// The card's layout, from the one description of its fields in the schema
// crate (`codraft_schema::fields::CARD`, through the WASM client's
// `cardFields()`): each panel's fields in order, grouped into pairs and
// fieldsets, each bound by its kind. A new field in the schema appears
// here without a line of this file changing.

import { cardFields, Path } from './app';
import { h } from './dom';
import { label, t } from './i18n';
import { checkField, dateField, labelled, numberField, selectField } from './fields';
import type { CardEditor } from './editor';

export type Panel = 'general' | 'description' | 'plan' | 'follow_up';
export type Need = 'optional' | 'required' | 'recommended';

export interface ColumnSpec {
  key: string;
  label: string;
  kind: 'text' | 'multilingual' | 'date' | 'choice';
  choices?: string[];
  labels?: string;
  need: Need;
}

export type FieldKind =
  | { kind: 'text'; rows: number }
  | { kind: 'multilingual'; rows: number }
  | { kind: 'date' }
  | { kind: 'number' }
  | { kind: 'check' }
  | { kind: 'choice'; choices: string[]; labels: string; radio: boolean }
  | { kind: 'values' }
  | { kind: 'table'; item: string; row: string; columns: ColumnSpec[] };

export type FieldSpec = FieldKind & {
  path: string;
  label: string;
  need: Need;
  panel: Panel;
  group: string | null;
  export: boolean;
};

let fields: FieldSpec[] | null = null;

/** Every field of the card, in order. */
export function cardFieldSpecs(): FieldSpec[] {
  fields ??= cardFields() as FieldSpec[];
  return fields;
}

/** `[value, label]` pairs of a choice list. */
export function options(labels: string, values: string[]): [string, string][] {
  return values.map((v) => [v, label(`${labels}.${v}`)]);
}

const PANELS: { panel: Panel; id: string; heading: () => string }[] = [
  { panel: 'general', id: 'sec-general', heading: () => t('general') },
  { panel: 'description', id: 'sec-desc', heading: () => t('description') },
  { panel: 'plan', id: 'sec-plan', heading: () => label('activities') },
  { panel: 'follow_up', id: 'sec-follow', heading: () => t('followUp') },
];

/** The editor's panels, each with its fields laid out. */
export function panels(editor: CardEditor): HTMLElement[] {
  return PANELS.map(({ panel, id, heading }) => {
    const section = h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, heading()));
    const specs = cardFieldSpecs().filter((f) => f.panel === panel);
    let groupName: string | null = null;
    let groupEl: HTMLElement = section;
    let tables = 0;
    for (const f of specs) {
      if (f.kind === 'table' && tables++ > 0) section.append(h('h2', {}, label(f.label)));
      const el = control(editor, f);
      if (!f.group) {
        groupName = null;
        section.append(el);
        continue;
      }
      if (groupName !== f.group) {
        const box: HTMLElement = f.group === 'pair'
          ? h('div', { class: 'pair' })
          : h('fieldset', { class: f.group.split('.').join('-') }, h('legend', {}, label(f.group)));
        groupName = f.group;
        groupEl = box;
        section.append(box);
      }
      groupEl.append(el);
    }
    return section;
  });
}

/** One field's control, labelled. */
function control(editor: CardEditor, f: FieldSpec): HTMLElement {
  const path: Path = f.path.split('/');
  const name = f.group && f.group !== 'pair' && f.group.startsWith('contacts.')
    ? `${label(f.group)} — ${label(f.label)}`
    : label(f.label);
  switch (f.kind) {
    case 'text':
      return labelled(label(f.label), editor.text(path, name, f.rows).el);
    case 'multilingual':
      return editor.multi(f.path, f.rows);
    case 'date':
      return labelled(label(f.label), dateField(editor, path, name));
    case 'number':
      return labelled(label(f.label), numberField(editor, path, name));
    case 'check':
      return h('label', { class: 'check' }, checkField(editor, path), label(f.label));
    case 'choice':
      // The stage is the server's record, moved only through the review
      // panel: shown, never edited here.
      if (f.path === 'workflow') {
        return h('p', { class: 'stage-line' }, `${label(f.label)}: `, h('span', { class: 'badge stage', 'data-stage-badge': '' }));
      }
      if (f.radio) return editor.decision(path, options(f.labels, f.choices));
      return labelled(label(f.label),
        selectField(editor, path, name, options(f.labels, f.choices), f.need === 'required' ? t('choose') : undefined));
    case 'values':
      return editor.values();
    case 'table':
      return editor.tables.table(f);
  }
}
