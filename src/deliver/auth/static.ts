/** `http.authorization.type=static`: `http.headers.authorization` is sent verbatim as the Authorization header. */
import type { Secret } from '../../common/config/secret.js';
import type { Authorizer } from './authorizer.js';

export function staticAuthorization(header: Secret): Authorizer {
  return { headers: () => ({ Authorization: header.reveal() }) };
}
