// The comments API's types, from the generated OpenAPI types (api.gen.ts).

import type { components } from './api.gen';

type S = components['schemas'];
export type CommentsView = S['CommentsView'];
export type ThreadView = S['ThreadView'];
export type Thread = S['Thread'];
export type Comment = S['Comment'];
export type Placement = S['Placement'];
export type NewThread = S['NewThread'];
export type InboxView = S['InboxView'];
export type Entry = S['Entry'];
export type NoteKind = S['NoteKind'];
export type PrefsView = S['PrefsView'];
