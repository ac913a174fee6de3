// The JSON API of the server (see /api/openapi.json). Errors carry the
// server's message.

export interface User {
  id: string;
  email: string;
  name: string;
  organisation: string;
  sector: string;
  admin: boolean;
}
export type Role = 'co_coordinator' | 'member' | 'observer';
export interface Me {
  user: User;
  groups: { group: string; role: Role }[];
}
export interface DocInfo {
  id: string;
  group: string;
  kind: string;
  created_by: string;
  created_ms: number;
}
export interface GroupView {
  id: string;
  role: Role | null;
  co_coordinators: User[];
  members: number;
  documents: DocInfo[];
}
export interface Member {
  user: User;
  role: Role;
}
export interface Invitation {
  group: string;
  role: Role;
  email: string | null;
  expires_ms: number;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    /** The server's stable code (worded by `errors.ts`). */
    public code = '',
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
    let message = res.statusText;
    let code = '';
    let params: Record<string, unknown> = {};
    try {
      const body = (await res.json()) as { error?: string; message?: string; params?: Record<string, unknown> };
      message = body.message ?? message;
      code = body.error ?? '';
      params = body.params ?? {};
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message, code, params);
  }
  return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
}
