// The rows of the lake: per topic, the record's fields as typed Parquet columns, plus where it came from in Kafka.
import { z } from 'zod';
import type { ColumnSource } from 'hyparquet-writer';
import { anomalySchema } from '../../contracts/anomaly';
import { windowResultSchema } from '../../contracts/window-result';
import { sensorEventSchema } from '../../contracts/sensor-event';

/** The kinds of topics the sink archives; each has its own columns. */
export const recordKinds = ['events', 'results', 'anomalies'] as const;
export type RecordKind = (typeof recordKinds)[number];

type BasicType = NonNullable<ColumnSource['type']>;

/** Columns of each kind: its fields in order with their Parquet types. */
const fields: Record<RecordKind, { schema: z.ZodObject; columns: [string, BasicType][] }> = {
  events: {
    schema: sensorEventSchema,
    columns: [['id', 'STRING'], ['sensor', 'STRING'], ['value', 'DOUBLE'], ['ts', 'TIMESTAMP'], ['injected', 'BOOLEAN']],
  },
  results: {
    schema: windowResultSchema,
    columns: [['sensor', 'STRING'], ['avg', 'DOUBLE'], ['count', 'INT32'], ['windowEnd', 'TIMESTAMP']],
  },
  anomalies: {
    schema: anomalySchema,
    columns: [['id', 'STRING'], ['sensor', 'STRING'], ['value', 'DOUBLE'], ['ts', 'TIMESTAMP'], ['score', 'DOUBLE'], ['expected', 'DOUBLE']],
  },
};

/** One row: the record's fields, and its partition, offset and Kafka timestamp (`_partition`, `_offset`, `_timestamp`). */
export interface Row {
  fields: Record<string, unknown>;
  partition: number;
  offset: bigint;
  timestamp: number;
}

/** The record's fields, or the reason it cannot be a row of its kind. */
export function parseRecord(kind: RecordKind, value: Buffer | null): { fields: Record<string, unknown> } | { error: string } {
  if (value === null) return { error: 'no value (a tombstone)' };
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch (error) {
    return { error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = fields[kind].schema.safeParse(json);
  if (!parsed.success) return { error: `not a record of ${kind}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ')}` };
  return { fields: parsed.data };
}

/** The Parquet columns of `rows` of one kind. */
export function columnsOf(kind: RecordKind, rows: readonly Row[]): ColumnSource[] {
  const own = fields[kind].columns.map(([name, type]): ColumnSource => ({
    name,
    type,
    data: rows.map((r) => {
      const value = r.fields[name];
      if (value === undefined) return null;
      return type === 'TIMESTAMP' ? new Date(value as number) : value;
    }),
  }));
  return [
    ...own,
    { name: '_partition', type: 'INT32', data: rows.map((r) => r.partition), nullable: false },
    { name: '_offset', type: 'INT64', data: rows.map((r) => r.offset), nullable: false },
    { name: '_timestamp', type: 'TIMESTAMP', data: rows.map((r) => new Date(r.timestamp)), nullable: false },
  ];
}
