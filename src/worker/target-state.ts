/**
 * A connector's target state as Kafka Connect names it (`STARTED`, `PAUSED`, `STOPPED`; KIP-875, KIP-980): what the
 * state store keeps of it and how a connector is brought to it. STOPPED runs no task, and keeps the config.
 */
import { ApiError } from './api-error.js';
import type { ManagedConnector } from './connector.js';

export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

/** What the state store keeps of a target state. */
export interface TargetFlags {
  readonly paused: boolean;
  /** STOPPED (absent in stores written before it existed: not stopped). */
  readonly stopped?: boolean;
}

export function flagsOf(state: TargetState): TargetFlags {
  return state === 'STOPPED' ? { paused: false, stopped: true } : { paused: state === 'PAUSED' };
}

export function stateOf(flags: TargetFlags): TargetState {
  return flags.stopped === true ? 'STOPPED' : flags.paused ? 'PAUSED' : 'STARTED';
}

/** `initial_state` of `POST /connectors` (KIP-980): RUNNING (the default), PAUSED or STOPPED. */
export function initialState(value: unknown): TargetState {
  if (value === undefined || value === null) return 'STARTED';
  const state = typeof value === 'string' ? value.toUpperCase() : '';
  if (state === 'RUNNING') return 'STARTED';
  if (state === 'PAUSED' || state === 'STOPPED') return state;
  throw new ApiError(400, `initial_state ${JSON.stringify(value)} is not one of RUNNING, PAUSED, STOPPED`);
}

/**
 * Brings `connector` to `flags` (a stop drains in the background: `connector.settled()` waits for it). `here`: whether
 * it runs on this worker (cluster mode), so a STOPPED one resumed starts.
 */
export function applyTarget(connector: ManagedConnector, flags: TargetFlags, here = true): void {
  const state = stateOf(flags);
  if (state === stateOf(connector)) return;
  if (state === 'STOPPED') void connector.halt();
  else if (state === 'PAUSED') connector.pause(here);
  else connector.resume(here);
}
