/**
 * Checks a config-topic record before any worker applies it: one record is read by every worker, so a huge or
 * odd one must not block or crash them all. A `connector-<name>` value must be a JSON object of string, number or
 * boolean values, at most MAX_CONFIG_BYTES long with at most MAX_CONFIG_KEYS keys, whose `name` (if set) is `<name>`;
 * a `target-state-<name>` value must be `{"state":"PAUSED"|"STARTED"}`; Connect 3.5+ adds `"state.v2"`, which
 * may say STOPPED (KIP-875; `state` then says PAUSED for older workers) and wins when present.
 */

/** Larger connector configs are skipped (Kafka's default max.message.bytes is about 1 MB). */
const MAX_CONFIG_BYTES = 1_000_000;
/** Connector configs with more keys are skipped (the validation of one key re-reads the config). */
export const MAX_CONFIG_KEYS = 1000;

export type ParsedConfigRecord =
  | { readonly ok: true; readonly config: Record<string, string | number | boolean> }
  | { readonly ok: false; readonly problem: string };

/** The connector config a `connector-<name>` value holds, or why it is skipped (never quoting the content). */
export function parseConnectorRecord(name: string, value: string): ParsedConfigRecord {
  if (Buffer.byteLength(value) > MAX_CONFIG_BYTES) return { ok: false, problem: `larger than ${MAX_CONFIG_BYTES} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'not a JSON object' };
  const entries = Object.entries(parsed);
  if (entries.length > MAX_CONFIG_KEYS) return { ok: false, problem: `more than ${MAX_CONFIG_KEYS} keys` };
  for (const [key, v] of entries) {
    if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
      return { ok: false, problem: `the value of ${key} is not a string, number or boolean` };
    }
  }
  const config = parsed as Record<string, string | number | boolean>;
  if (config.name !== undefined && config.name !== name) return { ok: false, problem: `its "name" does not match the key's connector ${name}` };
  return { ok: true, config };
}

/** Whether a `target-state-<name>` value says paused or stopped, or why it is skipped. */
export function parseTargetState(value: string): { readonly ok: true; readonly paused: boolean; readonly stopped?: boolean } | { readonly ok: false; readonly problem: string } {
  if (value.length > 1000) return { ok: false, problem: 'larger than 1000 bytes' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as { state?: unknown; 'state.v2'?: unknown }) : {};
  const state = record['state.v2'] ?? record.state;
  if (state === 'STOPPED') return { ok: true, paused: false, stopped: true };
  if (state === 'PAUSED') return { ok: true, paused: true };
  if (state === 'STARTED') return { ok: true, paused: false };
  return { ok: false, problem: 'state is not PAUSED, STOPPED or STARTED' };
}
