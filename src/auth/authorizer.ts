/** Authorization is applied last, on every attempt, so a refreshed credential reaches a retried request. */

export interface Authorizer {
  /** Headers to add to this attempt (e.g. Authorization). */
  headers(): Promise<Readonly<Record<string, string>>> | Readonly<Record<string, string>>;
}

/** `http.authorization.type=none`: nothing is added. */
export const noAuthorization: Authorizer = { headers: () => ({}) };
