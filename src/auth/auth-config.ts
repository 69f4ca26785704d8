/** Connector-file keys for authorization (Aiven's keys; the types are matched ignoring case). */
import { ConfigError } from '../errors.js';
import { oneOf, str } from '../config/formats.js';
import type { Secret } from '../config/secret.js';
import type { ConfigSpec, ConfigValues } from '../config/spec.js';
import { type Authorizer, noAuthorization } from './authorizer.js';
import { staticAuthorization } from './static.js';

export const authConfigSpec = {
  'http.authorization.type': {
    doc: '`none` or `static` (`oauth2` is recognised and reported as not yet supported).',
    format: oneOf(['none', 'static', 'oauth2']),
    default: null,
    required: true,
  },
  'http.headers.authorization': {
    doc: 'For `static`: the Authorization header value, sent verbatim. Secret: never logged.',
    format: str(),
    default: null,
    sensitive: true,
  },
} satisfies ConfigSpec;

export function authorizerFrom(values: ConfigValues, secret: (key: string) => Secret | undefined): Authorizer {
  const type = values.string('http.authorization.type');
  const header = secret('http.headers.authorization');
  switch (type) {
    case 'none':
      if (header !== undefined) throw new ConfigError('http.headers.authorization', 'must not be set when http.authorization.type is none');
      return noAuthorization;
    case 'static':
      if (header === undefined || header.reveal() === '') {
        throw new ConfigError('http.headers.authorization', 'is required when http.authorization.type is static');
      }
      return staticAuthorization(header);
    default:
      throw new ConfigError('http.authorization.type', 'oauth2 is not supported yet; use none or static');
  }
}
