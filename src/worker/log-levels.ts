/**
 * Log levels changed at run time (Kafka Connect's `/admin/loggers`, KIP-495): `root` is the worker's logger, and
 * each connector has a logger `connector.<name>` (the lines carrying `connector=<name>`), unset until a PUT sets
 * it, following `root` meanwhile. A PUT on `connector` sets every connector's. Connect's level names map to
 * winston's: TRACE -> silly, DEBUG -> debug, INFO -> info, WARN -> warn, ERROR and FATAL -> error, OFF -> nothing.
 */
import winston from 'winston';
import type { Logger } from '../common/log.js';
import { ApiError } from './api-error.js';

export const ROOT_LOGGER = 'root';
/** The parent of every connector's logger. */
export const CONNECTOR_LOGGERS = 'connector';

const CONNECT_TO_WINSTON: Readonly<Record<string, string>> = { TRACE: 'silly', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error', FATAL: 'error', OFF: 'off' };
const WINSTON_TO_CONNECT: Readonly<Record<string, string>> = { silly: 'TRACE', debug: 'DEBUG', verbose: 'DEBUG', http: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', off: 'OFF' };

export interface LoggerLevel {
  level: string;
  /** When this worker last changed it (ms since the epoch, KIP-976); null if never. */
  last_modified: number | null;
}

export class LogLevels {
  private rootLevel: string;
  private rootModified: number | null = null;
  /** Connector name -> its own winston level and when it was set. */
  private readonly levels = new Map<string, { level: string; modified: number }>();

  /** Takes over `log`'s level: from now on the lines it writes pass the level of their connector, or root's. */
  constructor(
    private readonly log: Logger,
    /** The connectors now, so the list shows each. */
    private readonly connectorNames: () => readonly string[],
  ) {
    this.rootLevel = log.level;
    const drop = winston.format((info) => (this.passes(info) ? info : false));
    log.format = winston.format.combine(drop(), log.format);
  }

  /** `GET /admin/loggers`: root and every connector's logger, sorted by name as Connect does. */
  all(): Record<string, LoggerLevel> {
    const names = new Set([...this.connectorNames(), ...this.levels.keys()]);
    const entries: [string, LoggerLevel][] = [...names].map((name) => [`${CONNECTOR_LOGGERS}.${name}`, this.levelOf(name)]);
    entries.sort(([a], [b]) => a.localeCompare(b));
    return { [ROOT_LOGGER]: { level: WINSTON_TO_CONNECT[this.rootLevel] ?? 'INFO', last_modified: this.rootModified }, ...Object.fromEntries(entries) };
  }

  /** `GET /admin/loggers/{name}`; 404 for a logger this worker does not have. */
  get(name: string): LoggerLevel {
    const found = this.all()[name];
    if (!found) throw new ApiError(404, `Logger ${name} not found; this worker's loggers are ${ROOT_LOGGER} and ${CONNECTOR_LOGGERS}.<connector name>`);
    return found;
  }

  /**
   * `PUT /admin/loggers/{name}`: sets the level and answers the names of the loggers it changed. `root` changes
   * every logger (connectors follow it again), `connector` every connector's; `connector.<name>` may name a
   * connector not created yet.
   */
  set(name: string, connectLevel: unknown): string[] {
    if (typeof connectLevel !== 'string' || connectLevel === '') throw new ApiError(400, 'Desired "level" parameter was not specified in the request: {"level": "DEBUG"}');
    const level = CONNECT_TO_WINSTON[connectLevel.toUpperCase()];
    if (level === undefined) throw new ApiError(400, `Invalid log level '${connectLevel}'; use one of ${Object.keys(CONNECT_TO_WINSTON).join(', ')}`);
    const now = Date.now();
    let changed: string[];
    if (name === ROOT_LOGGER) {
      changed = Object.keys(this.all());
      this.rootLevel = level;
      this.rootModified = now;
      this.levels.clear();
    } else if (name === CONNECTOR_LOGGERS) {
      const names = new Set([...this.connectorNames(), ...this.levels.keys()]);
      for (const connector of names) this.levels.set(connector, { level, modified: now });
      changed = [...names].map((n) => `${CONNECTOR_LOGGERS}.${n}`);
    } else if (name.startsWith(`${CONNECTOR_LOGGERS}.`) && name.length > CONNECTOR_LOGGERS.length + 1) {
      this.levels.set(name.slice(CONNECTOR_LOGGERS.length + 1), { level, modified: now });
      changed = [name];
    } else {
      throw new ApiError(404, `Logger ${name} not found; this worker's loggers are ${ROOT_LOGGER}, ${CONNECTOR_LOGGERS} and ${CONNECTOR_LOGGERS}.<connector name>`);
    }
    this.applyMostVerbose();
    return changed.sort();
  }

  private levelOf(connector: string): LoggerLevel {
    const own = this.levels.get(connector);
    return { level: WINSTON_TO_CONNECT[own?.level ?? this.rootLevel] ?? 'INFO', last_modified: own?.modified ?? null };
  }

  /** Whether a line passes the level of its logger: its connector's own level, else root's. */
  private passes(info: winston.Logform.TransformableInfo): boolean {
    const connector = typeof info.connector === 'string' ? info.connector : undefined;
    const level = (connector === undefined ? undefined : this.levels.get(connector)?.level) ?? this.rootLevel;
    if (level === 'off') return false;
    const severity = this.log.levels[info.level];
    return severity === undefined || severity <= (this.log.levels[level] ?? 0);
  }

  /** The logger (and its transports) let through the most verbose level in use; `passes` does the rest. */
  private applyMostVerbose(): void {
    const used = [this.rootLevel, ...[...this.levels.values()].map((l) => l.level)].filter((l) => l !== 'off');
    const most = used.reduce((a, b) => ((this.log.levels[b] ?? 0) > (this.log.levels[a] ?? 0) ? b : a), 'error');
    this.log.level = most;
  }
}
