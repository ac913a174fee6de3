// The JSON API of the server. Its types are generated from the server's
// OpenAPI description (`src/api.gen.ts`, by openapi-typescript at build
// time: scripts/build-web.sh), never written by hand. Errors carry the
// server's code and parameters, which `errors.ts` words.

import type { components } from './api.gen';

type Schemas = components['schemas'];
export type User = Schemas['User'];
export type Role = Schemas['Role'];
export type Sector = Schemas['Sector'];
export type Me = Schemas['Me'];
export type DocInfo = Schemas['DocInfo'];
export type GroupView = Schemas['GroupView'];
export type Member = Schemas['Member'];
export type Invitation = Schemas['Invitation'];
export type InvitationLink = Schemas['InvitationLink'];
export type ErrorBody = Schemas['ErrorBody'];
export type ErrorCode = Schemas['ErrorCode'];

/** The sectors, in the order forms offer them. */
export const SECTORS: Sector[] = ['administration', 'civil_society', 'academia', 'other'];

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    /** The server's stable code (worded by `errors.ts`); empty if none came. */
    public code: ErrorCode | '' = '',
    public params: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!res.ok) {
    let err = new ApiError(res.status, res.statusText);
    try {
      const b = (await res.json()) as ErrorBody;
      err = new ApiError(res.status, b.message ?? res.statusText, b.error ?? '', b.params ?? {});
    } catch {
      /* not JSON */
    }
    throw err;
  }
  return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
}
