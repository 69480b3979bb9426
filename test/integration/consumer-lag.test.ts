// The lag and partition-health gauges against real Kafka: what a consumer exports on /metrics per group and partition,
// and the detector and the lake sink, run as their own processes, exporting theirs.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaMetrics, groupLag } from '../../apps/lib/consumer-lag';
import { APP_METRICS } from '../../apps/lib/metric-names';
import { freePort } from '../../testbed/ports';
import { supervise, tail, waitUntil, type Supervised } from '../../testbed/process';

const kafka = new Kafka({ clientId: 'consumer-lag-test', brokers: inject('kafkaBrokers'), logLevel: logLevel.NOTHING });
const topic = `lag-${randomUUID().slice(0, 8)}`;
const groupId = `${topic}-group`;
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  // 10, 20 and 30 messages on partitions 0, 1 and 2.
  await producer.send({
    topic,
    messages: [0, 1, 2].flatMap((partition) => Array.from({ length: 10 * (partition + 1) }, (_, i) => ({ partition, value: `m${i}` }))),
  });
  await producer.disconnect();
  // The group has read 4 of partition 0 and all of partition 1; partition 2 has no committed offset.
  await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '4' }, { partition: 1, offset: '20' }] });
});

const running: Supervised[] = [];
const appTopics: string[] = [];

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await admin?.deleteTopics({ topics: [topic, ...appTopics] }).catch(() => {});
  await admin?.disconnect();
});

/** The value of each series of a gauge, keyed by its labels. */
async function series(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries((metric?.values ?? []).map((v) => [JSON.stringify(v.labels), v.value]));
}

describe('consumer lag metrics', () => {
  it('export the lag of every partition of the group', async () => {
    const registry = new Registry();
    const metrics = createKafkaMetrics(registry, admin, { groups: [{ groupId, topic }], partitionHealth: true });
    await metrics.refresh();
    expect(await series(registry, APP_METRICS.consumerLag)).toEqual({
      [JSON.stringify({ group: groupId, topic, partition: '0' })]: 6,
      [JSON.stringify({ group: groupId, topic, partition: '1' })]: 0,
      [JSON.stringify({ group: groupId, topic, partition: '2' })]: 30,
    });
    expect(await groupLag(admin, groupId, topic)).toBe(36);
  });

  it('export the partition health of every topic: the single test broker leads every partition in sync', async () => {
    const registry = new Registry();
    await createKafkaMetrics(registry, admin, { groups: [], partitionHealth: true }).refresh();
    const offline = await series(registry, APP_METRICS.offlinePartitions);
    const underReplicated = await series(registry, APP_METRICS.underReplicatedPartitions);
    expect(offline[JSON.stringify({ topic })]).toBe(0);
    expect(underReplicated[JSON.stringify({ topic })]).toBe(0);
  });

  it('export no partition health from an app that does not ask for it', async () => {
    const registry = new Registry();
    await createKafkaMetrics(registry, admin, { groups: [{ groupId, topic }] }).refresh();
    expect(await registry.getSingleMetric(APP_METRICS.offlinePartitions)).toBeUndefined();
  });
});

const repoRoot = resolve(__dirname, '..', '..');
const logDir = join(repoRoot, 'test-output', 'consumer-lag');
const minioBed = inject('minio');

/** Starts `apps/<app>/main.ts` with its lag read every half second; resolves to its /metrics URL once it is ready. */
async function startApp(app: string, env: Record<string, string>): Promise<string> {
  mkdirSync(logDir, { recursive: true });
  const opsPort = await freePort();
  const child = supervise(process.execPath, ['--import', 'tsx', `apps/${app}/main.ts`], {
    cwd: repoRoot,
    logFile: join(logDir, `${app}-${randomUUID().slice(0, 8)}.log`),
    env: {
      ...process.env,
      KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      KAFKA_CLIENT_ID: `${app}-lag-test`,
      OPS_PORT: String(opsPort),
      OPS_HOST: '127.0.0.1',
      LAG_METRICS_INTERVAL_MS: '500',
      SESSION_TIMEOUT_MS: '6000',
      ...env,
    },
  });
  running.push(child);
  const alive = () => child.child.exitCode === null && child.child.signalCode === null;
  await waitUntil(`${app} ready`, async () => (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).ok, { attempts: 120, intervalMs: 250, alive }).catch(
    (error: unknown) => {
      throw new Error(`${String(error)}\n${tail(child.logFile)}`);
    },
  );
  return `http://127.0.0.1:${opsPort}/metrics`;
}

/** The lag series of `group` on the app's /metrics, keyed topic/partition. */
async function scrapedLag(metricsUrl: string, group: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const series = [...text.matchAll(new RegExp(`^${APP_METRICS.consumerLag}\\{([^}]*)\\} (\\S+)$`, 'gm'))].map((m) => ({
    labels: Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]])),
    value: Number(m[2]),
  }));
  return Object.fromEntries(series.filter((s) => s.labels.group === group).map((s) => [`${s.labels.topic}/${s.labels.partition}`, s.value]));
}

/** A fresh topic with `counts[p]` sensor readings on partition p. */
async function topicWithReadings(prefix: string, counts: number[]): Promise<string> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  appTopics.push(name);
  await admin.createTopics({ topics: [{ topic: name, numPartitions: counts.length, replicationFactor: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: name,
    messages: counts.flatMap((n, partition) =>
      Array.from({ length: n }, (_, i) => ({ partition, key: `s${partition}`, value: JSON.stringify({ id: randomUUID(), sensor: `s${partition}`, value: 20 + (i % 3), ts: Date.now() }) })),
    ),
  });
  await producer.disconnect();
  return name;
}

describe('the detector and the lake sink export their lag', () => {
  it('the detector: a series per partition of its events topic, down to 0 once it has read and committed them all', async () => {
    const events = await topicWithReadings('lag-events', [5, 10, 15]);
    const anomalies = `${events}-anomalies`;
    appTopics.push(anomalies);
    await admin.createTopics({ topics: [{ topic: anomalies, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const group = `${events}-detector`;
    const metrics = await startApp('detector', { EVENTS_TOPIC: events, ANOMALIES_TOPIC: anomalies, GROUP_ID: group });
    let last: Record<string, number> = {};
    await waitUntil(
      'the detector\'s lag at 0 on every partition',
      async () => {
        last = await scrapedLag(metrics, group);
        return Object.keys(last).length === 3 && Object.values(last).every((v) => v === 0);
      },
      { attempts: 120, intervalMs: 500 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last scrape ${JSON.stringify(last)}`);
    });
    expect(last).toEqual({ [`${events}/0`]: 0, [`${events}/1`]: 0, [`${events}/2`]: 0 });
    // The gauge says what Kafka says: the group committed every reading.
    expect(await groupLag(admin, group, events)).toBe(0);
  });

  it('the lake sink: a series per partition of each topic it archives, the records of files not yet rolled still behind', async () => {
    // Files roll only after 10 minutes or 64 MiB, so the sink commits nothing during the test: the lag is every record.
    const events = await topicWithReadings('lag-lake-events', [4, 7, 9]);
    const results = await topicWithReadings('lag-lake-results', [0, 0]);
    const anomaliesTopic = await topicWithReadings('lag-lake-anomalies', [0]);
    const dlq = `${events}-dlq`;
    appTopics.push(dlq);
    await admin.createTopics({ topics: [{ topic: dlq, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    const group = `${events}-lake-sink`;
    const metrics = await startApp('lake-sink', {
      EVENTS_TOPIC: events,
      RESULTS_TOPIC: results,
      ANOMALIES_TOPIC: anomaliesTopic,
      DLQ_TOPIC: dlq,
      GROUP_ID: group,
      LAKE_BUCKET: 'lake-lag-test-unused',
      ROLL_MS: String(600_000),
      ROLL_BYTES: String(64 << 20),
      MINIO_ENDPOINT: minioBed.endpoint,
      MINIO_ACCESS_KEY: minioBed.accessKey,
      MINIO_SECRET_KEY: minioBed.secretKey,
    });
    const expected = {
      [`${events}/0`]: 4,
      [`${events}/1`]: 7,
      [`${events}/2`]: 9,
      [`${results}/0`]: 0,
      [`${results}/1`]: 0,
      [`${anomaliesTopic}/0`]: 0,
    };
    let last: Record<string, number> = {};
    await waitUntil(
      'the lake sink\'s lag on every partition of its three topics',
      async () => {
        last = await scrapedLag(metrics, group);
        return JSON.stringify(Object.entries(last).sort()) === JSON.stringify(Object.entries(expected).sort());
      },
      { attempts: 120, intervalMs: 500 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last scrape ${JSON.stringify(last)}`);
    });
    expect(await groupLag(admin, group, events)).toBe(20);
  });
});
