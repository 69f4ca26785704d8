/** Sends OAuth2 token requests over the pipeline's transport (TLS settings, proxy); no response -> TokenEndpointError. */
import { got, RequestError } from 'got';
import { TokenEndpointError } from '../../common/errors.js';
import { createAgents, type TransportOptions } from '../../common/net/agents.js';
import { withoutNodeCaHint } from '../../common/net/certificate-error.js';

export interface TokenResponse {
  readonly status: number;
  readonly body: string;
}

/** POSTs a form to the token endpoint. `endpoint` is the URL as it may be printed (no credentials or query). */
export type TokenFetch = (url: string, headers: Record<string, string>, form: URLSearchParams, endpoint: string) => Promise<TokenResponse>;

export function tokenClient(transport: TransportOptions): TokenFetch {
  const client = got.extend({
    agent: createAgents(transport, { keepAlive: false }),
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    headers: { 'user-agent': 'kafka-http-sink' },
    timeout: { request: transport.timeoutMs },
  });
  return async (url, headers, form, endpoint) => {
    try {
      const response = await client.post(url, { headers, body: form.toString() });
      return { status: response.statusCode, body: response.body };
    } catch (error) {
      if (error instanceof RequestError) throw new TokenEndpointError(endpoint, `${error.code}: ${withoutNodeCaHint(error.message)}`);
      throw error;
    }
  };
}
