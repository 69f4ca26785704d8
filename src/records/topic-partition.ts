/** The "topic/partition" id the source uses for its per-partition state, and back. */
import type { TopicPartition } from 'node-rdkafka';

export function idOf(tp: Pick<TopicPartition, 'topic' | 'partition'>): string {
  return `${tp.topic}/${tp.partition}`;
}

export function toTopicPartition(id: string): TopicPartition {
  const slash = id.lastIndexOf('/');
  return { topic: id.slice(0, slash), partition: Number(id.slice(slash + 1)) };
}
