/** An example custom operator: adds the unit of each measurement to the decoded value. */
import { map, type OperatorFunction } from 'rxjs';
import type { SinkRecord } from 'kafka-http-sink';

export interface Measurement {
  iot_id: number;
  metric: string;
  measurement: number;
  unit?: string | null;
}

const UNITS: Record<string, string> = { Temperature: 'Cel', Humidity: '%RH', Pressure: 'hPa' };

/**
 * Adds `unit` (UCUM code, null when the metric is unknown) to every measurement.
 *
 * @example
 * decoded$.pipe(withUnit())  // {"iot_id":1,"metric":"Temperature","measurement":14} -> {..., "unit":"Cel"}
 */
export function withUnit(): OperatorFunction<readonly SinkRecord[], SinkRecord<unknown, Measurement>[]> {
  return map((records) =>
    records.map((record) => {
      const value = record.value as Measurement;
      return { ...record, value: { ...value, unit: UNITS[value.metric] ?? null } };
    }),
  );
}
