/**
 * Log levels changed at run time (Kafka Connect's `/admin/loggers`, KIP-495): `root` is the worker's logger, and
 * each connector has a logger `connector.<name>` (the lines carrying `connector=<name>`), unset until a PUT sets
 * it, following `root` meanwhile. A PUT on `connector` sets every connector's. Connect's level names map to
 * winston's: TRACE -> silly, DEBUG -> debug, INFO -> info, WARN -> warn, ERROR and FATAL -> error, OFF -> nothing.
 * Connect's own logger names are taken too (tools set them): one that is, or is a parent of, the sink task's
 * (`org.apache.kafka.connect.runtime.WorkerSinkTask`, `io.aiven.kafka.connect.http.HttpSinkTask`) sets every
 * connector's level; any other is kept and listed, and changes nothing here. Every change reaches task processes.
 */
import winston from 'winston';
import type { Logger } from '../common/log.js';
import { ApiError } from './api-error.js';

const ROOT_LOGGER = 'root';
/** The parent of every connector's logger. */
const CONNECTOR_LOGGERS = 'connector';
/** The Connect loggers a sink task's lines belong to: setting one of them (or a parent) sets every connector's. */
const SINK_TASK_LOGGERS = ['org.apache.kafka.connect.runtime.WorkerSinkTask', 'io.aiven.kafka.connect.http.HttpSinkTask', 'io.aiven.kafka.connect.http.HttpSinkConnector'];
/** A Java logger name: dotted identifiers (`$` allowed, as in inner classes). */
const JAVA_LOGGER = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

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
  /** Connect logger names set through the API: their winston level and when. */
  private readonly named = new Map<string, { level: string; modified: number }>();

  /** Takes over `log`'s level: from now on the lines it writes pass the level of their connector, or root's. */
  constructor(
    private readonly log: Logger,
    /** The connectors now, so the list shows each. */
    private readonly connectorNames: () => readonly string[],
    /** Called after every change (the worker tells the task processes). */
    private readonly changed: () => void = () => undefined,
  ) {
    this.rootLevel = log.level;
    const drop = winston.format((info) => (this.passes(info) ? info : false));
    log.format = winston.format.combine(drop(), log.format);
  }

  /** `GET /admin/loggers`: root and every connector's logger, sorted by name as Connect does. */
  all(): Record<string, LoggerLevel> {
    const names = new Set([...this.connectorNames(), ...this.levels.keys()]);
    const entries: [string, LoggerLevel][] = [...names].map((name) => [`${CONNECTOR_LOGGERS}.${name}`, this.levelOf(name)]);
    for (const [name, { level, modified }] of this.named) entries.push([name, { level: WINSTON_TO_CONNECT[level] ?? 'INFO', last_modified: modified }]);
    entries.sort(([a], [b]) => a.localeCompare(b));
    return { [ROOT_LOGGER]: { level: WINSTON_TO_CONNECT[this.rootLevel] ?? 'INFO', last_modified: this.rootModified }, ...Object.fromEntries(entries) };
  }

  /** `GET /admin/loggers/{name}`; 404 for a logger this worker does not have. */
  get(name: string): LoggerLevel {
    const found = this.all()[name];
    if (!found) throw new ApiError(404, `Logger ${name} not found.`);
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
      for (const n of this.named.keys()) this.named.set(n, { level, modified: now });
    } else if (name === CONNECTOR_LOGGERS) {
      const names = new Set([...this.connectorNames(), ...this.levels.keys()]);
      for (const connector of names) this.levels.set(connector, { level, modified: now });
      changed = [...names].map((n) => `${CONNECTOR_LOGGERS}.${n}`);
    } else if (name.startsWith(`${CONNECTOR_LOGGERS}.`) && name.length > CONNECTOR_LOGGERS.length + 1) {
      this.levels.set(name.slice(CONNECTOR_LOGGERS.length + 1), { level, modified: now });
      changed = [name];
    } else if (JAVA_LOGGER.test(name) && name.length <= 300) {
      changed = this.setNamed(name, level, now);
    } else {
      throw new ApiError(404, `Logger ${name} not found; this worker's loggers are ${ROOT_LOGGER}, ${CONNECTOR_LOGGERS}, ${CONNECTOR_LOGGERS}.<connector name> and Java logger names`);
    }
    this.applyMostVerbose();
    this.changed();
    return changed.sort();
  }

  /** The winston level of a connector's lines now (its own, else root's): what its task processes log at. */
  levelFor(connector: string): string {
    return this.levels.get(connector)?.level ?? this.rootLevel;
  }

  /** A Connect logger name and those below it that were set; the sink task's or a parent sets every connector's too. */
  private setNamed(name: string, level: string, now: number): string[] {
    const below = [...this.named.keys()].filter((n) => n.startsWith(`${name}.`));
    for (const n of [name, ...below]) this.named.set(n, { level, modified: now });
    if (this.named.size > 1000) this.named.delete(this.named.keys().next().value!); // bounded: the oldest goes
    if (SINK_TASK_LOGGERS.some((task) => task === name || task.startsWith(`${name}.`))) {
      for (const connector of new Set([...this.connectorNames(), ...this.levels.keys()])) this.levels.set(connector, { level, modified: now });
    }
    return [name, ...below];
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
