// The producer against the real Kafka: its rate, its keys, unique ids, bounded walks, COUNT and SIGTERM.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultWalkBounds } from '../../apps/producer/random-walk';
import { sensorEventSchema, type SensorEvent } from '../../contracts/sensor-event';
import { freePort } from '../../testbed/ports';
import { supervise, tail, waitUntil, type Supervised } from '../../testbed/process';

const repoRoot = resolve(__dirname, '..', '..');
const logDir = join(repoRoot, 'test-output', 'sensors');
const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'sensors-producer-test', brokers, logLevel: logLevel.NOTHING });
let admin: Admin;
const running: Supervised[] = [];

beforeAll(async () => {
  mkdirSync(logDir, { recursive: true });
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await admin?.disconnect();
});

async function freshTopic(partitions: number): Promise<string> {
  const topic = `events-${randomUUID().slice(0, 8)}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  return topic;
}

async function startProducerProcess(topic: string, env: Record<string, string>): Promise<Supervised> {
  const app = supervise(process.execPath, ['--import', 'tsx', 'apps/producer/main.ts'], {
    cwd: repoRoot,
    logFile: join(logDir, `producer-${topic}.log`),
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers.join(','),
      EVENTS_TOPIC: topic,
      OPS_PORT: String(await freePort()),
      OPS_HOST: '127.0.0.1',
      ...env,
    },
  });
  running.push(app);
  return app;
}

interface Received {
  key: string;
  partition: number;
  event: SensorEvent;
}

/** Every message on `topic`, in partition order, read from the beginning up to its end. */
async function readAll(topic: string): Promise<Received[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const total = offsets.reduce((sum, p) => sum + Number(p.high), 0);
  const received: Received[] = [];
  const reader = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  await reader.connect();
  try {
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ partition, message }) => {
        received.push({
          key: String(message.key),
          partition,
          event: sensorEventSchema.parse(JSON.parse(String(message.value))),
        });
      },
    });
    await waitUntil(`reading ${total} events from ${topic}`, async () => received.length >= total, {
      attempts: 240,
      intervalMs: 250,
    });
  } finally {
    await reader.disconnect();
  }
  return received;
}

describe('producer on the real Kafka', () => {
  it('sends COUNT events at the configured rate, keyed by sensor, then exits 0', async () => {
    const topic = await freshTopic(3);
    const rate = 20;
    const count = 60;
    const app = await startProducerProcess(topic, { COUNT: String(count), RATE_PER_SECOND: String(rate), SENSORS: 'A,B,C' });
    const code = await app.exited;
    expect(code, tail(app.logFile)).toBe(0);

    const received = await readAll(topic);
    expect(received).toHaveLength(count);
    expect(new Set(received.map((r) => r.event.id)).size).toBe(count);

    for (const sensor of ['A', 'B', 'C']) {
      const mine = received.filter((r) => r.event.sensor === sensor);
      expect(mine).toHaveLength(count / 3);
      // key = sensor, so all of a sensor's events share one partition and keep their order there.
      expect(mine.every((r) => r.key === sensor)).toBe(true);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      const values = mine.map((r) => r.event.value);
      for (const v of values) {
        expect(v).toBeGreaterThanOrEqual(defaultWalkBounds.min);
        expect(v).toBeLessThanOrEqual(defaultWalkBounds.max);
      }
      for (let i = 1; i < values.length; i++) {
        expect(Math.abs(values[i]! - values[i - 1]!)).toBeLessThanOrEqual(defaultWalkBounds.maxStep + 1e-9);
      }
    }

    // The rate is an upper bound by construction: the last event is due (count − 1) / rate after the first.
    const times = received.map((r) => r.event.ts).sort((a, b) => a - b);
    const spanMs = times[times.length - 1]! - times[0]!;
    const dueSpanMs = ((count - 1) / rate) * 1000;
    expect(spanMs).toBeGreaterThanOrEqual(dueSpanMs - 5);
    // And it keeps up: at most two seconds behind schedule, generous for a busy 2-core box.
    expect(spanMs).toBeLessThan(dueSpanMs + 2000);
  });

  it('stops sending and exits 0 on SIGTERM', async () => {
    const topic = await freshTopic(1);
    const app = await startProducerProcess(topic, { RATE_PER_SECOND: '50', SENSORS: 'A' });
    await waitUntil('the first events', async () => Number((await admin.fetchTopicOffsets(topic))[0]?.high) >= 10, {
      attempts: 120,
      intervalMs: 250,
      alive: () => app.child.exitCode === null,
    });
    app.child.kill('SIGTERM');
    expect(await app.exited, tail(app.logFile)).toBe(0);
    // The count the producer reports at exit is exactly what Kafka holds: every send in flight was drained.
    const sentLine = readFileSync(app.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; events?: number })
      .find((entry) => entry.msg === 'sent');
    const received = await readAll(topic);
    expect(sentLine?.events).toBe(received.length);
    expect(received.every((r) => r.key === 'A' && r.event.sensor === 'A')).toBe(true);
  });
});
