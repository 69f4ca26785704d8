/**
 * A typical 10-field Avro record (an IoT reading, with a nullable field, a float, an array and the date, timestamp
 * and decimal logical types): what the decode bench measures and what the registry tests send, in one place.
 */

import { javaDouble } from '../../src/common/java-number.js';
import { jsonText } from '../../src/common/json-text.js';

export const READING_SCHEMA = {
  type: 'record',
  name: 'Reading',
  namespace: 'iot',
  fields: [
    { name: 'iot_id', type: 'int' },
    { name: 'metric', type: 'string' },
    { name: 'measurement', type: 'double' },
    { name: 'unit', type: ['null', 'string'], default: null },
    { name: 'seq', type: 'long' },
    { name: 'battery', type: 'float' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 } },
  ],
};

/** Reading `n` as a producer hands it to an encoder (the nullable `unit` unwrapped; price 12.34 as unscaled bytes). */
export function reading(n: number, unit: string | null = 'C'): Record<string, unknown> {
  return {
    iot_id: n,
    metric: 'Temperature',
    measurement: 20 + (n % 10) / 2,
    unit,
    seq: n,
    battery: 1.1,
    tags: ['a', 'b'],
    day: 19_700,
    at: 1_702_080_000_000 + n,
    price: Buffer.from([0x04, 0xd2]),
  };
}

/** The body Kafka Connect's JsonConverter writes for `reading(n, unit)` (decimal.format BASE64, the default). */
export function readingBody(n: number, unit: string | null = 'C'): string {
  const value = reading(n, unit);
  // The double as Java prints it: 20.0, not 20.
  return jsonText({ ...value, measurement: javaDouble(value.measurement as number), price: 'BNI=' });
}
