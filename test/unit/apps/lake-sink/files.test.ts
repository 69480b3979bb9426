// The lake's file names and roll rules: keys that a replay reproduces, Hive partitions by the first record's hour,
// and files that roll by size, by time, or exactly where a file left by a crash ended.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileKey, fileKeyStart, hivePrefix, lastOffsetOf } from '../../../../apps/lake-sink/object-key';
import { OpenFile } from '../../../../apps/lake-sink/open-file';
import { columnsOf, parseRecord } from '../../../../apps/lake-sink/records';
import { readConfig } from '../../../../apps/lib/config';
import { lakeSinkEnv } from '../../../../apps/lake-sink/config';

const ts = Date.UTC(2026, 11, 2, 4, 59, 59, 999);

describe('object keys', () => {
  it('place a file by the UTC date and hour of its first record', () => {
    expect(hivePrefix('events', ts)).toBe('topic=events/date=2026-12-02/hour=04/');
    expect(hivePrefix('events', ts + 1)).toBe('topic=events/date=2026-12-02/hour=05/');
  });

  it('name the topic, partition and zero-padded offset range, and give back the last offset', () => {
    const key = fileKey({ topic: 'results', partition: 2, firstOffset: 100n, lastOffset: 199n, firstTimestamp: ts });
    expect(key).toBe('topic=results/date=2026-12-02/hour=04/results-2-0000000000000000100-0000000000000000199.parquet');
    expect(key.startsWith(fileKeyStart('results', 2, 100n, ts))).toBe(true);
    expect(lastOffsetOf(key)).toBe(199n);
    expect(lastOffsetOf('topic=results/x.parquet')).toBeUndefined();
  });

  it('sort in offset order and never let one file’s start be a prefix of another’s', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 2n }), fc.bigInt({ min: 0n, max: 2n ** 63n - 2n }), (a, b) => {
        fc.pre(a !== b);
        const ka = fileKey({ topic: 't', partition: 0, firstOffset: a, lastOffset: a, firstTimestamp: ts });
        const kb = fileKey({ topic: 't', partition: 0, firstOffset: b, lastOffset: b, firstTimestamp: ts });
        expect(ka < kb).toBe(a < b);
        expect(kb.startsWith(fileKeyStart('t', 0, a, ts))).toBe(false);
      }),
    );
  });
});

describe('OpenFile', () => {
  const limits = { bytes: 100, ms: 1000 };
  const row = (offset: bigint) => ({ fields: {}, partition: 0, offset, timestamp: ts });

  it('rolls by size and by age', () => {
    const file = new OpenFile(5n, ts, 0);
    file.add(row(5n), 60);
    expect(file.full(limits, 10)).toBe(false);
    file.add(row(6n), 40);
    expect(file.full(limits, 10)).toBe(true);
    const old = new OpenFile(5n, ts, 0);
    old.add(row(5n), 1);
    expect(old.full(limits, 999)).toBe(false);
    expect(old.full(limits, 1000)).toBe(true);
  });

  it('counts dead-lettered records in its range but not in its rows', () => {
    const file = new OpenFile(5n, ts, 0);
    file.add(row(5n), 10);
    file.skip(6n);
    expect(file.rows).toHaveLength(1);
    expect(file.lastOffset).toBe(6n);
  });

  it('ends exactly where the file left by a crash ended, whatever size or age', () => {
    const file = new OpenFile(5n, ts, 0, 7n);
    file.add(row(5n), 1000);
    expect(file.full(limits, 5000)).toBe(false);
    file.add(row(6n), 1);
    expect(file.endsBefore(7n)).toBe(false);
    file.add(row(7n), 1);
    expect(file.full(limits, 0)).toBe(true);
    expect(file.endsBefore(8n)).toBe(true);
  });
});

describe('records', () => {
  it('parse each kind, and say why a record cannot be written', () => {
    expect(parseRecord('results', Buffer.from('{"sensor":"A","avg":1.5,"count":20,"windowEnd":5}'))).toEqual({
      fields: { sensor: 'A', avg: 1.5, count: 20, windowEnd: 5 },
    });
    expect(parseRecord('events', null)).toEqual({ error: 'no value (a tombstone)' });
    expect(parseRecord('events', Buffer.from('{'))).toMatchObject({ error: expect.stringMatching(/^not JSON/) });
    expect(parseRecord('anomalies', Buffer.from('{"sensor":"A"}'))).toMatchObject({ error: expect.stringMatching(/^not a record of anomalies: value: /) });
  });

  it('give typed columns plus partition, offset and Kafka timestamp', () => {
    const columns = columnsOf('events', [{ fields: { id: 'x', sensor: 'A', value: 1, ts: 7 }, partition: 1, offset: 9n, timestamp: 8 }]);
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'STRING'],
      ['sensor', 'STRING'],
      ['value', 'DOUBLE'],
      ['ts', 'TIMESTAMP'],
      ['injected', 'BOOLEAN'],
      ['_partition', 'INT32'],
      ['_offset', 'INT64'],
      ['_timestamp', 'TIMESTAMP'],
    ]);
    expect(columns.find((c) => c.name === 'injected')!.data).toEqual([null]);
    expect(columns.find((c) => c.name === 'ts')!.data).toEqual([new Date(7)]);
  });
});

describe('lake sink config', () => {
  it('defaults to the three topics into bucket `lake`, with lake.dlq and rolls of 2 MiB or 60 s', () => {
    expect(readConfig(lakeSinkEnv, { KAFKA_BROKERS: 'k:9092', MINIO_ENDPOINT: 'http://m:9000', MINIO_ACCESS_KEY: 'a', MINIO_SECRET_KEY: 'b' })).toMatchObject({
      EVENTS_TOPIC: 'events',
      RESULTS_TOPIC: 'results',
      ANOMALIES_TOPIC: 'anomalies',
      LAKE_BUCKET: 'lake',
      DLQ_TOPIC: 'lake.dlq',
      GROUP_ID: 'lake-sink',
      ROLL_BYTES: 2 * 1024 * 1024,
      ROLL_MS: 60_000,
    });
  });

  it('names each bad variable', () => {
    expect(() => readConfig(lakeSinkEnv, { KAFKA_BROKERS: 'k:9092', MINIO_ENDPOINT: 'http://m:9000', MINIO_ACCESS_KEY: 'a', MINIO_SECRET_KEY: 'b', ROLL_BYTES: '0' })).toThrow(
      /ROLL_BYTES: must be at least 1/,
    );
  });
});
