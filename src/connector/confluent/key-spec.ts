/**
 * How a key of Confluent's HTTP Sink is declared: Confluent's name and default (its configuration reference), what
 * this sink does with it (`doc`) and, where the outcome is not the same, how it differs and why (`differs`). The
 * migration guide's key table is generated from these declarations, so a key cannot be handled and go unlisted.
 */
import type { KeySpec } from '../../common/config/spec.js';

export const CONFLUENT_HTTP_SINK_CLASS = 'io.confluent.connect.http.HttpSinkConnector';

export interface ConfluentKeySpec<T = unknown> extends KeySpec<T> {
  /** Where the result differs from Confluent's connector, and why; absent: the same. */
  readonly differs?: string;
}

export type ConfluentSpec = Record<string, ConfluentKeySpec>;

/** A family of keys named by prefix (`reporter.producer.*`), with what is done with each. */
export interface ConfluentKeyFamily {
  readonly prefix: string;
  readonly doc: string;
  readonly differs?: string;
}

