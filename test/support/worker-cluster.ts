/** What the cluster tests share: a fresh cluster's worker-file keys, and waiting until its workers take changes. */
import { bootstrap, eventually } from './harness.js';
import { call } from './worker-client.js';

/**
 * Worker-file keys of a fresh cluster `id` on the test broker (its own group and topics), with the shortest session
 * the broker allows (group.min.session.timeout.ms) so tests run fast; `extra` adds or replaces keys (a test on its own broker names its `bootstrap.servers`).
 */
export function clusterKeys(id: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'group.id': `cluster-${id}`,
    'bootstrap.servers': extra['bootstrap.servers'] ?? bootstrap(),
    'config.storage.topic': `connect-configs-${id}`,
    'status.storage.topic': `connect-status-${id}`,
    'offset.storage.topic': `connect-offsets-${id}`,
    'config.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'heartbeat.interval.ms': '1000',
    'session.timeout.ms': '6000',
    ...extra,
  };
}

/** Waits until every worker answers /ready: the workers' group elected its leader (the owner of task slot 0), so a change can be taken. */
export async function clusterReady(workers: readonly { readonly url: string }[], timeoutMs = 20_000): Promise<void> {
  for (const w of workers) await eventually(async () => (await call(w.url, 'GET', '/ready')).status === 200, timeoutMs, `${w.url} ready`);
}
