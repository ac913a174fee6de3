// The review API's types, from the generated OpenAPI types (api.gen.ts).

import type { components, paths } from './api.gen';

type S = components['schemas'];
export type ReviewView = S['ReviewView'];
export type HistoryPage = S['HistoryPage'];
export type Session = S['Session'];
export type DiffView = S['DiffView'];
export type Done = S['Done'];
export type Stage = S['Stage'];
export type Stamp = S['Stamp'];
export type ReviewEvent = S['ReviewEvent'];
export type TextStatusView = S['TextStatusView'];
export type Shares = paths['/api/documents/{doc}/shares']['get']['responses'][200]['content']['application/json'];
