/**
 * Request -> response over keep-alive connections, through the transport `http.client` names (node:http, undici or
 * got; see src/deliver/transports/). A missing response becomes an HttpNetworkError whichever transport sent it.
 */
import type { HttpServiceOptions } from './http-config.js';
import { createGotTransport } from './transports/got-transport.js';
import { createNodeHttpTransport } from './transports/node-http-transport.js';
import type { HttpService } from './transports/transport.js';
import { createUndiciTransport } from './transports/undici-transport.js';

export type { HttpService, Send } from './transports/transport.js';

const transports = {
  node: createNodeHttpTransport,
  undici: createUndiciTransport,
  got: createGotTransport,
} satisfies Record<HttpServiceOptions['client'], (options: HttpServiceOptions) => HttpService>;

export function createHttpService(options: HttpServiceOptions): HttpService {
  return transports[options.client](options);
}
