// The report job against the real MinIO: a lake written with the lake sink's own Parquet writer and layout, the job run
// the README's way (`npm run lake:report -- --env-file …`) on DuckDB and on Spark SQL (local mode, reading over s3a),
// each report read back and checked against the numbers computed here from the same readings, and the two engines'
// reports against each other (floats within 1e-9 relative); the API serves the latest report and the recent anomalies.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startApi } from '../../apps/api/api';
import { readApiConfig } from '../../apps/api/config';
import { createLogger } from '../../apps/lib/log';
import { createMinio } from '../../apps/lib/minio';
import { waitUntil } from '../../testbed/process';
import { fileKey } from '../../apps/lake-sink/object-key';
import { columnsOf, type RecordKind, type Row } from '../../apps/lake-sink/records';
import type { ReportRow } from '../../contracts/sensor-report';

const repoRoot = resolve(__dirname, '..', '..');
const minioBed = inject('minio');
const brokers = inject('kafkaBrokers');
const minio = createMinio({ MINIO_ENDPOINT: minioBed.endpoint, MINIO_ACCESS_KEY: minioBed.accessKey, MINIO_SECRET_KEY: minioBed.secretKey, MINIO_REGION: 'us-east-1' });
const suffix = randomUUID().slice(0, 8);
const bucket = `lake-report-${suffix}`;
const topics = { events: `events-${suffix}`, anomalies: `anomalies-${suffix}` };
const work = mkdtempSync(join(tmpdir(), 'wolke-report-test-'));
let sparkJars: string;

/** Seeded, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Reading {
  id: string;
  sensor: string;
  value: number;
  ts: number;
}

const at = (iso: string) => Date.parse(iso);
const readings: Reading[] = [];
const anomalies: Reading[] = [];

/** Uploads one file of the lake the way the sink names and writes it. */
async function writeLakeFile(kind: RecordKind, topic: string, partition: number, firstOffset: bigint, records: Record<string, unknown>[], timestamps: number[]): Promise<void> {
  const rows: Row[] = records.map((fields, i) => ({ fields, partition, offset: firstOffset + BigInt(i), timestamp: timestamps[i]! }));
  const key = fileKey({ topic, partition, firstOffset, lastOffset: firstOffset + BigInt(rows.length - 1), firstTimestamp: timestamps[0]! });
  const body = Buffer.from(parquetWriteBuffer({ columnData: columnsOf(kind, rows), createdBy: 'wolke lake-sink' }));
  await minio.putObject(bucket, key, body, body.length);
}

/** Readings of 4 sensors from 2026-11-28 22:00 to 2026-12-01 02:00, in files of about three hours per partition. */
async function writeLake(): Promise<void> {
  const next = random(16);
  const sensors = ['A', 'B', 'C', 'D'];
  const offsets = [0n, 0n];
  for (let hourStart = at('2026-11-28T22:00:00Z'); hourStart < at('2026-12-01T02:00:00Z'); hourStart += 3 * 3_600_000) {
    for (const partition of [0, 1]) {
      const batch: Reading[] = [];
      // Files start at a random minute and run 3 hours, so some cross midnight into the next day's readings.
      const start = hourStart + Math.floor(next() * 30) * 60_000;
      for (let i = 0; i < 16; i++) {
        const sensor = sensors[partition * 2 + (i % 2)]!;
        batch.push({ id: randomUUID(), sensor, value: Math.round((20 + next() * 10 + (sensor === 'D' ? 100 : 0)) * 1e6) / 1e6, ts: start + i * 11 * 60_000 });
      }
      readings.push(...batch);
      await writeLakeFile('events', topics.events, partition, offsets[partition]!, batch.map((r) => ({ ...r })), batch.map((r) => r.ts + 20));
      offsets[partition]! += BigInt(batch.length);
    }
  }
  // Anomalies: some on A and B over the days, one repeated by a detector restart (same id, a later file).
  const flagged = readings.filter((r, i) => (r.sensor === 'A' || r.sensor === 'B') && i % 9 === 0);
  const records = flagged.map((r) => ({ sensor: r.sensor, value: r.value, ts: r.ts, score: 6, expected: 25, id: r.id }));
  anomalies.push(...flagged);
  await writeLakeFile('anomalies', topics.anomalies, 0, 0n, records, flagged.map((r) => r.ts + 50));
  await writeLakeFile('anomalies', topics.anomalies, 0, BigInt(records.length), [records[3]!], [flagged[3]!.ts + 60_000]);
}

/** Linear interpolation between the closest ranks, as quantile_cont and percentile_cont define it. */
function quantile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

function expectedReport(from: string, to: string): ReportRow[] {
  const dayOf = (ts: number) => new Date(ts).toISOString().slice(0, 10);
  const groups = new Map<string, number[]>();
  for (const r of readings) {
    const day = dayOf(r.ts);
    if (day < from || day > to) continue;
    const key = `${day}|${r.sensor}`;
    groups.set(key, [...(groups.get(key) ?? []), r.value]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, values]) => {
      const [date, sensor] = key.split('|') as [string, string];
      const sorted = [...values].sort((a, b) => a - b);
      const flagged = new Set(anomalies.filter((a) => a.sensor === sensor && dayOf(a.ts) === date).map((a) => a.id));
      return {
        sensor,
        date,
        readings: values.length,
        mean: values.reduce((s, v) => s + v, 0) / values.length,
        min: sorted[0]!,
        max: sorted.at(-1)!,
        p50: quantile(sorted, 0.5),
        p95: quantile(sorted, 0.95),
        anomalies: flagged.size,
      };
    });
}

/** Runs the README's command with an env file, as a user would against the local pipeline. */
function runReport(engine: 'duckdb' | 'spark', prefix: string): string {
  const envFile = join(work, `${engine}.env`);
  const variables: Record<string, string> = {
    MINIO_ENDPOINT: minioBed.endpoint,
    MINIO_ACCESS_KEY: minioBed.accessKey,
    MINIO_SECRET_KEY: minioBed.secretKey,
    LAKE_BUCKET: bucket,
    EVENTS_TOPIC: topics.events,
    ANOMALIES_TOPIC: topics.anomalies,
    REPORT_PREFIX: prefix,
    REPORT_ENGINE: engine,
    REPORT_TO: '2026-11-30',
    REPORT_DAYS: '2',
    ...(engine === 'spark' ? { SPARK_JARS: sparkJars } : {}),
  };
  writeFileSync(envFile, Object.entries(variables).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  return execFileSync('npm', ['run', '--silent', 'lake:report', '--', `--env-file=${envFile}`], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
}

async function readReport(prefix: string): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  for (const day of ['2026-11-29', '2026-11-30']) {
    const stream = await minio.getObject(bucket, `${prefix}/date=${day}/sensor-daily.parquet`);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const buffer = Buffer.concat(chunks);
    const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    for (const row of await parquetReadObjects({ file })) {
      const date = row.date instanceof Date ? row.date.toISOString().slice(0, 10) : String(row.date);
      rows.push({
        sensor: String(row.sensor),
        date,
        readings: Number(row.readings),
        mean: Number(row.mean),
        min: Number(row.min),
        max: Number(row.max),
        p50: Number(row.p50),
        p95: Number(row.p95),
        anomalies: Number(row.anomalies),
      });
    }
  }
  return rows;
}

function expectSameReport(actual: ReportRow[], expected: ReportRow[]): void {
  expect(actual.map((r) => `${r.date}|${r.sensor}|${r.readings}|${r.anomalies}`)).toEqual(expected.map((r) => `${r.date}|${r.sensor}|${r.readings}|${r.anomalies}`));
  actual.forEach((row, i) => {
    for (const field of ['mean', 'min', 'max', 'p50', 'p95'] as const) {
      const want = expected[i]![field];
      expect(Math.abs(row[field] - want), `${row.date} ${row.sensor} ${field}: ${row[field]} vs ${want}`).toBeLessThanOrEqual(1e-9 * Math.abs(want));
    }
  });
}

beforeAll(async () => {
  await minio.makeBucket(bucket, 'us-east-1');
  await writeLake();
  // Cached after the first run (setup.sh starts it in the background); a fresh machine fetches it here.
  sparkJars = /SPARK_JARS=(.*)/.exec(execFileSync('bash', ['testbed/spark.sh'], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000 }))![1]!;
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the report job over the lake', () => {
  const expected = () => expectedReport('2026-11-29', '2026-11-30');
  let duckdbRows: ReportRow[];

  it('on DuckDB writes per sensor and day count, mean, min, max, p50, p95 and anomalies, one file a day', async () => {
    const started = performance.now();
    const output = runReport('duckdb', 'reports/duckdb');
    console.log(`duckdb report in ${((performance.now() - started) / 1000).toFixed(1)} s:\n${output}`);
    expect(output).toContain(`report: s3://${bucket}/reports/duckdb/date=2026-11-29/sensor-daily.parquet`);
    expect(output).toContain(`report: s3://${bucket}/reports/duckdb/date=2026-11-30/sensor-daily.parquet`);
    duckdbRows = await readReport('reports/duckdb');
    // The fixture's own checks: both days, all four sensors, readings across midnight and a repeated anomaly in range.
    expect(expected()).toHaveLength(8);
    expect(expected().some((r) => r.anomalies > 0)).toBe(true);
    expectSameReport(duckdbRows, expected());
  });

  it('on Spark SQL (local mode, the lake over s3a) gives the same report', async () => {
    const started = performance.now();
    const output = runReport('spark', 'reports/spark');
    console.log(`spark report in ${((performance.now() - started) / 1000).toFixed(1)} s:\n${output}`);
    const sparkRows = await readReport('reports/spark');
    expectSameReport(sparkRows, expected());
    expectSameReport(sparkRows, duckdbRows);
  }, 300_000);

  it('is served by the API as the latest report, beside the recent anomalies from the anomalies topic', async () => {
    const kafka = new Kafka({ clientId: 'lake-report-test', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    const resultsTopic = `results-${suffix}`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: resultsTopic, numPartitions: 1 }, { topic: topics.anomalies, numPartitions: 2 }] });
    const flagged = anomalies.slice(0, 3).map((r) => ({ sensor: r.sensor, value: r.value, ts: r.ts, score: 6, expected: 25, id: r.id }));
    // The second copy of the first one is a detector's repeat after a restart: served once.
    await producer.send({ topic: topics.anomalies, messages: [...flagged, flagged[0]!].map((a) => ({ key: a.sensor, value: JSON.stringify(a) })) });
    const api = await startApi(
      readApiConfig({
        KAFKA_BROKERS: brokers.join(','),
        MINIO_ENDPOINT: minioBed.endpoint,
        MINIO_ACCESS_KEY: minioBed.accessKey,
        MINIO_SECRET_KEY: minioBed.secretKey,
        RESULTS_TOPIC: resultsTopic,
        UPLOADS_BUCKET: bucket,
        PROCESSED_BUCKET: bucket,
        ANOMALIES_TOPIC: topics.anomalies,
        LAKE_BUCKET: bucket,
        REPORT_PREFIX: 'reports/duckdb',
        OPS_PORT: '0',
        OPS_HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      }),
      createLogger('api', 'warn'),
    );
    try {
      const report = (await (await fetch(`${api.url}/reports`)).json()) as { date: string; key: string; rows: ReportRow[] };
      expect(report.date).toBe('2026-11-30');
      expect(report.key).toBe('reports/duckdb/date=2026-11-30/sensor-daily.parquet');
      expectSameReport(report.rows, expected().filter((r) => r.date === '2026-11-30'));
      let served: { id: string }[] = [];
      await waitUntil('the API to serve the three anomalies', async () => {
        served = ((await (await fetch(`${api.url}/anomalies`)).json()) as { anomalies: { id: string }[] }).anomalies;
        return served.length === 3;
      }, { attempts: 60, intervalMs: 250 });
      expect(served.map((a) => a.id)).toEqual([...flagged].sort((a, b) => b.ts - a.ts).map((a) => a.id));
    } finally {
      await api.stop();
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
  });
});
