import { from, map, mergeMap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Authorizer } from './auth/authorizer.js';
import type { HttpRequest } from '../request/request.js';

/**
 * Adds the authorizer's headers (e.g. Authorization) to each request. Used per attempt inside `post`, so that
 * a renewed credential reaches a retried request.
 *
 * @example
 * of(request).pipe(authorize(staticAuthorization(new Secret('Bearer abc'))))
 */
export function authorize(authorizer: Authorizer): MonoTypeOperatorFunction<HttpRequest> {
  return mergeMap((request) =>
    from(Promise.resolve(authorizer.headers())).pipe(map((headers) => ({ ...request, headers: { ...request.headers, ...headers } }))),
  );
}
