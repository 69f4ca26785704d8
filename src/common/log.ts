/** Structured logs (winston). LOG_LEVEL sets the level, LOG_FORMAT=json switches from text lines to JSON. */
import winston from 'winston';

export type { Logger } from 'winston';

const SECRET_KEY = /authorization|password|secret|token|user\.info/i;

/** Replaces values under secret-looking keys, at any depth, before anything is written. */
const redact = winston.format((info) => {
  for (const key of Object.keys(info)) info[key] = scrub(key, info[key], 0);
  return info;
});

function scrub(key: string, value: unknown, depth: number): unknown {
  if (SECRET_KEY.test(key) && value !== undefined && value !== null && typeof value !== 'object') return '[redacted]';
  if (depth > 4 || typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return value;
  if (value instanceof Error) return { error: value.name, code: (value as { code?: unknown }).code, message: value.message };
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (Array.isArray(value)) return value.map((v) => scrub('', v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(k, v, depth + 1)]));
}

const text = winston.format.printf(({ timestamp, level, message, ...meta }) => {
  const fields = Object.entries(meta)
    .filter(([k]) => typeof k === 'string')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(timestamp)} ${level} ${String(message)}${fields ? ` ${fields}` : ''}`;
});

export interface LoggerOptions {
  level?: string;
  format?: 'text' | 'json';
  /** Extra fields on every line, e.g. the connector name. */
  defaultMeta?: Record<string, unknown>;
  /** Defaults to the console (stderr for every level, so stdout stays for the demo's output). */
  transports?: winston.transport[];
}

export function createLogger(options: LoggerOptions = {}): winston.Logger {
  const format = options.format ?? (process.env.LOG_FORMAT === 'json' ? 'json' : 'text');
  return winston.createLogger({
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    defaultMeta: options.defaultMeta,
    format: winston.format.combine(redact(), winston.format.timestamp(), format === 'json' ? winston.format.json() : text),
    transports: options.transports ?? [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}
