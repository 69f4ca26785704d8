/**
 * The dead-letter (and reporter) producer (node-rdkafka): idempotent, acks=all, one promise per write that settles on
 * the delivery reports. Its properties are the connector's `kafka.*` ones with `producer.override.*` applied.
 */
import rdkafka from 'node-rdkafka';
import type { Logger } from 'winston';
import { KafkaError } from '../common/errors.js';
import { ClientErrors, secretValues } from '../source/client-errors.js';
import { nativeConfig } from '../source/native-config.js';
import type { DeadLetterProducer } from './dead-letters.js';

type Settle = (error?: Error) => void;

/**
 * Connects a producer with the connection settings of `KafkaSourceOptions.producer` (bootstrap, TLS, SASL). A write
 * that the broker refuses, or that is not acknowledged within `timeoutMs`, rejects. With `log`, the client's errors
 * are logged collapsed (client-errors.ts) and a refused login or certificate fails the connect at once.
 */
export async function connectDeadLetterProducer(
  rdkafkaConfig: Record<string, string | number | boolean>,
  timeoutMs = 30_000,
  log?: Logger,
): Promise<DeadLetterProducer> {
  const producer = new rdkafka.Producer(nativeConfig({
    ...rdkafkaConfig,
    dr_cb: true,
    'enable.idempotence': true,
    'linger.ms': 5,
  }), { 'message.timeout.ms': timeoutMs });
  producer.on('delivery-report', (err, report) => (report.opaque as Settle | undefined)?.(err ? new Error(err.message) : undefined));
  const where = `Kafka at ${String(rdkafkaConfig['bootstrap.servers'])}`;
  const errors = log && new ClientErrors(producer, log, { client: 'dead-letter producer', secrets: secretValues(rdkafkaConfig) });
  if (errors) {
    await errors.connect(timeoutMs, where).catch((error: KafkaError) => {
      throw new KafkaError(`dead-letter producer ${error.message}`, error.retriable, error);
    });
  } else {
    producer.on('event.error', () => {}); // transient client errors surface as failed delivery reports
    await new Promise<void>((resolve, reject) =>
      producer.connect({ timeout: timeoutMs }, (err) => (err ? reject(new KafkaError(`dead-letter producer cannot connect: ${err.message}`, false, err)) : resolve())),
    );
  }
  producer.setPollInterval(10);
  return {
    produce: async (topic, messages) => {
      const written = messages.map(
        (m) =>
          new Promise<void>((resolve, reject) => {
            const settle: Settle = (error) => (error ? reject(error) : resolve());
            try {
              producer.produce(topic, null, m.value, m.key, m.timestamp ?? Date.now(), settle, m.headers as never);
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          }),
      );
      await Promise.all(written);
    },
    close: () =>
      new Promise<void>((resolve) => {
        errors?.close();
        producer.disconnect(() => resolve());
      }),
  };
}
