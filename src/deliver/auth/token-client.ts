/** Sends OAuth2 token requests over the pipeline's transport (TLS settings, proxy); no response -> TokenEndpointError. */
import { TokenEndpointError } from '../../common/errors.js';
import { createAgents, type TransportOptions } from '../../common/net/agents.js';
import { withoutNodeCaHint } from '../../common/net/certificate-error.js';
import { gotClient } from '../../common/net/got-module.js';

export interface TokenResponse {
  readonly status: number;
  readonly body: string;
}

/** POSTs a form to the token endpoint. `endpoint` is the URL as it may be printed (no credentials or query). */
export type TokenFetch = (url: string, headers: Record<string, string>, form: URLSearchParams, endpoint: string) => Promise<TokenResponse>;

export function tokenClient(transport: TransportOptions): TokenFetch {
  const agent = createAgents(transport, { keepAlive: false });
  const tokens = gotClient((lib) =>
    lib.got.extend({ agent, retry: { limit: 0 }, throwHttpErrors: false, followRedirect: false, headers: { 'user-agent': 'kafka-http-sink' }, timeout: { request: transport.timeoutMs } }),
  );
  return async (url, headers, form, endpoint) => {
    const { lib, client: got } = await tokens();
    try {
      const response = await got.post(url, { headers, body: form.toString() });
      return { status: response.statusCode, body: response.body };
    } catch (error) {
      if (error instanceof lib.RequestError) throw new TokenEndpointError(endpoint, `${error.code}: ${withoutNodeCaHint(error.message)}`);
      throw error;
    }
  };
}
