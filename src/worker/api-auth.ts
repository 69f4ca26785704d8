/** Checks a request's credentials against the worker's access token or basic-auth user (constant-time compare). */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { WorkerAuth } from './worker-config.js';

/** Whether the request may go on: always when no credentials are configured. */
export function authorized(auth: WorkerAuth, headers: IncomingHttpHeaders): boolean {
  if (!auth.token && !auth.basic) return true;
  const header = headers.authorization ?? '';
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && auth.token) return same(value, auth.token.reveal());
  if (scheme === 'basic' && auth.basic) return same(Buffer.from(value, 'base64').toString('utf8'), `${auth.basic.user}:${auth.basic.password.reveal()}`);
  return false;
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
