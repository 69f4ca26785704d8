/** The broker's end offsets of some partitions, asked directly (librdkafka's statistics stop updating paused ones). */
import type { KafkaConsumer } from 'node-rdkafka';
import type { Logger } from 'winston';
import { errorMessage } from '../common/errors.js';
import { toTopicPartition } from '../records/topic-partition.js';

/** "topic/partition" -> high watermark; a partition that cannot be asked now (an error, disconnected) is left out. */
async function highWatermarks(consumer: KafkaConsumer, ids: readonly string[], timeoutMs = 5000): Promise<Map<string, number>> {
  const ends = new Map<string, number>();
  const ask = (id: string): Promise<void> =>
    new Promise<void>((resolve) => {
      const { topic, partition } = toTopicPartition(id);
      try {
        consumer.queryWatermarkOffsets(topic, partition, timeoutMs, (err, offsets) => {
          if (!err) ends.set(id, offsets.highOffset);
          resolve();
        });
      } catch {
        resolve();
      }
    });
  await Promise.all(ids.map(ask));
  return ends;
}

/**
 * An `event.stats` listener that passes each statistics JSON on with fresh end offsets for the partitions `paused`
 * names; while the broker's answer for one tick is still coming, later ticks are skipped rather than raced. A
 * `report` that throws costs that tick (logged), never the process.
 */
export function statisticsWithEnds(
  consumer: KafkaConsumer,
  paused: () => readonly string[],
  report: (json: string, ends?: ReadonlyMap<string, number>) => void,
  log: Logger,
): (event: { message: string }) => void {
  let asking = false;
  const failed = (error: unknown): void => void log.warn('consumer statistics not reported', { error: errorMessage(error) });
  return (event) => {
    const ids = paused();
    if (ids.length === 0) {
      try {
        report(event.message);
      } catch (error) {
        failed(error);
      }
      return;
    }
    if (asking) return;
    asking = true;
    void highWatermarks(consumer, ids)
      .then((ends) => report(event.message, ends))
      .catch(failed)
      .finally(() => (asking = false));
  };
}
