/** The settings a connector file gives, as plain data: the shape both our keys and Confluent's are read onto. */
import type { AuthSettings } from '../deliver/auth/auth-config.js';
import type { DecodeSettings } from '../decode/converter-config.js';
import type { BatchOptions } from '../request/batch.js';
import type { PostOptions } from '../deliver/post.js';
import type { ConcurrencySetting, HttpServiceOptions } from '../deliver/http-config.js';
import type { ReporterOptions } from '../outcomes/reporter.js';
import type { OrderingMode } from '../request/ordering.js';
import type { RequestOptions } from '../request/request-config.js';
import type { DeadLetterOptions } from '../outcomes/dead-letter-config.js';
import type { TransformSettings } from '../transform/transform-config.js';
import type { KafkaSourceOptions } from '../source/kafka-config.js';

/**
 * A connector file as plain data, every key checked: no client, agent, limiter or timer exists yet (`validate` and
 * the REST validate endpoint read files this way). `buildSinkConfig` turns it into live components at start.
 */
export interface ConnectorSettings {
  readonly name: string;
  /** `tasks.max`: how many task processes `run` starts for this connector. */
  readonly tasksMax: number;
  readonly source: KafkaSourceOptions;
  readonly decode: DecodeSettings;
  readonly ordering: OrderingMode;
  readonly batch: BatchOptions;
  readonly request: RequestOptions;
  readonly http: HttpServiceOptions;
  readonly post: Omit<PostOptions, 'send' | 'authorizer' | 'concurrency' | 'rateLimit'> & {
    readonly authorization: AuthSettings;
    readonly concurrency: ConcurrencySetting;
    /** Requests per second; undefined: no limit. */
    readonly rateLimit: number | undefined;
  };
  /** Error logging and the dead-letter topic (`errors.*`). */
  readonly deadLetter: DeadLetterOptions;
  /** Result and error reporting topics (`reporter.*`). */
  readonly reporter: ReporterOptions;
  /** `transforms.*` and `predicates.*`: the Single Message Transforms, in order. */
  readonly transforms: TransformSettings;
  readonly shutdownTimeoutMs: number;
  /** Things the user should know at start (e.g. certificate checks are off). */
  readonly warnings: readonly string[];
  /** Info lines for the start (e.g. Confluent's licence keys are not used). */
  readonly notices?: readonly string[];
  /** The config as given, secrets redacted: safe to log or show. */
  readonly redacted: Readonly<Record<string, unknown>>;
}
