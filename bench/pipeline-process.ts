/**
 * One pipeline run for the bench, in its own process so its CPU time and peak RSS are its own: startPipeline
 * with the standard connector chain, the send wrapped to count requests in flight. Reports over IPC every 200 ms;
 * 'stop' stops it gracefully. argv[2]: the connector as JSON. KAFKA_BOOTSTRAP_SERVERS: the broker. V8's heap
 * growth is limited as the command line limits it (src/cli/heap-growth.ts), so memory is measured as users run.
 */
import { connectorPipeline, definePipeline } from '../src/connector/definePipeline.js';
import { startPipeline } from '../src/connector/startPipeline.js';
import { createLogger } from '../src/common/log.js';
import type { Send } from '../src/deliver/http-service.js';
import { limitHeapGrowth } from '../src/cli/heap-growth.js';

limitHeapGrowth();

export interface PipelineSample {
  readonly type: 'sample';
  readonly cpuMs: number;
  readonly rss: number;
  readonly maxRss: number;
  readonly inFlightRequests: number;
  readonly requests: number;
  readonly limit: number;
  readonly consumed: number;
  /** Offset commits the source sent so far. */
  readonly commits: number;
  /** The source's consume path: lean or standard (src/source/kafka-consume.ts). */
  readonly consumePath?: string;
}

let inFlight = 0;
let requests = 0;
let limitOf = (): number => 0;

const connector = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const running = await startPipeline(
  definePipeline({
    connector,
    build: (context) => {
      const concurrency = context.config.post.concurrency;
      limitOf = typeof concurrency === 'number' ? () => concurrency : () => concurrency.limit;
      const send: Send = async (request, signal) => {
        inFlight += 1;
        requests += 1;
        try {
          return await context.send(request, signal);
        } finally {
          inFlight -= 1;
        }
      };
      return connectorPipeline({ ...context, send });
    },
  }),
  { log: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }) },
);

const sample = (): PipelineSample => {
  const cpu = process.cpuUsage();
  return {
    type: 'sample',
    cpuMs: (cpu.user + cpu.system) / 1000,
    rss: process.memoryUsage.rss(),
    maxRss: process.resourceUsage().maxRSS * 1024,
    inFlightRequests: inFlight,
    requests,
    limit: limitOf(),
    consumed: running.stats().consumed,
    commits: running.stats().commits,
    consumePath: running.stats().consumePath,
  };
};
const timer = setInterval(() => process.send!(sample()), 200);
process.send!({ type: 'started' });

running.done.then(
  () => undefined,
  (error: unknown) => {
    process.send!({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  },
);

process.on('message', (message: { type: string }) => {
  if (message.type !== 'stop') return;
  void running.stop().then(() => {
    clearInterval(timer);
    process.send!(sample(), undefined, undefined, () => process.send!({ type: 'stopped' }, undefined, undefined, () => process.exit(0)));
  });
});
process.on('disconnect', () => process.exit(0));
