/** `http.authorization.type=basic`: `Authorization: Basic base64(user:password)` on every request. */
import type { Secret } from '../../common/config/secret.js';
import type { Authorizer } from './authorizer.js';

export function basicAuthorization(username: string, password: Secret): Authorizer {
  return { headers: () => ({ Authorization: basicCredentials(username, password) }) };
}

/** RFC 7617 credentials: `Basic ` + base64 of `user:password` (UTF-8). */
export function basicCredentials(username: string, password: Secret): string {
  return `Basic ${Buffer.from(`${username}:${password.reveal()}`, 'utf8').toString('base64')}`;
}
