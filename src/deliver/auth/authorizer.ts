/** Authorization is applied last, on every attempt, so a refreshed credential reaches a retried request. */

export interface Authorizer {
  /** Headers to add to this attempt (e.g. Authorization). */
  headers(): Promise<Readonly<Record<string, string>>> | Readonly<Record<string, string>>;
  /**
   * Whether a response with this status means the credential was refused and a fresh one may succeed (OAuth2's
   * `oauth2.token.renew.on.status.codes`). `post` then calls `invalidate` and resends the request once.
   */
  shouldRenew?(status: number): boolean;
  /** Forgets the credential carried by `rejected` (the headers the refused attempt sent), if it is still the current one. */
  invalidate?(rejected: Readonly<Record<string, string>>): void;
}

/** `http.authorization.type=none`: nothing is added. */
export const noAuthorization: Authorizer = { headers: () => ({}) };

/** `text` (e.g. a response body quoted in an error) with the Authorization value it may echo removed. */
export function withoutCredentials(text: string, headers: Readonly<Record<string, string>>): string {
  const value = headers.Authorization ?? headers.authorization;
  if (value === undefined || value === '') return text;
  const credentials = value.slice(value.indexOf(' ') + 1);
  return [value, credentials].filter((part) => part.length >= 4).reduce((result, part) => result.split(part).join('[redacted]'), text);
}
