// The aggregator against the real Kafka: exact averages of a known sequence, no window lost across a SIGKILL
// restart mid-window, and every window still delivered when a second instance joins and takes partitions.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { windowResultSchema, type WindowResult } from '../../contracts/window-result';
import type { SensorEvent } from '../../contracts/sensor-event';
import { freePort } from '../../testbed/ports';
import { supervise, tail, waitUntil, type Supervised } from '../../testbed/process';

const repoRoot = resolve(__dirname, '..', '..');
const logDir = join(repoRoot, 'test-output', 'sensors');
const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'sensors-aggregator-test', brokers, logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;
const running: Supervised[] = [];
const readers: Consumer[] = [];

beforeAll(async () => {
  mkdirSync(logDir, { recursive: true });
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await Promise.all(readers.map((c) => c.disconnect()));
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
});

/** Fresh topics and group for one test, so tests never see each other's events. */
async function freshNames(partitions: number): Promise<{ events: string; results: string; group: string }> {
  const suffix = randomUUID().slice(0, 8);
  const names = { events: `events-${suffix}`, results: `results-${suffix}`, group: `aggregator-${suffix}` };
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: names.events, numPartitions: partitions },
      { topic: names.results, numPartitions: 1 },
    ],
  });
  return names;
}

/** Starts `apps/aggregator/main.ts` as its own process and waits until /readyz says it has joined its group. */
async function startAggregatorProcess(names: { events: string; results: string; group: string }, label: string) {
  const opsPort = await freePort();
  const app = supervise(process.execPath, ['--import', 'tsx', 'apps/aggregator/main.ts'], {
    cwd: repoRoot,
    logFile: join(logDir, `${names.group}-${label}.log`),
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_CLIENT_ID: `aggregator-${label}`,
      EVENTS_TOPIC: names.events,
      RESULTS_TOPIC: names.results,
      GROUP_ID: names.group,
      WINDOW_SIZE: '20',
      // The broker's minimum: a SIGKILLed member's partitions move after 6 s instead of 30 s.
      SESSION_TIMEOUT_MS: '6000',
      OPS_PORT: String(opsPort),
      OPS_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
    },
  });
  running.push(app);
  const alive = () => app.child.exitCode === null && app.child.signalCode === null;
  await waitUntil(
    `aggregator ${label} ready (log ${app.logFile})`,
    async () => (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).ok,
    { attempts: 120, intervalMs: 250, alive },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${tail(app.logFile)}`);
  });
  return app;
}

/** Sends events in order, one request each so their order on a partition is the order given. */
async function send(topic: string, events: { event: SensorEvent; partition?: number }[]): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: events.map(({ event, partition }) => ({
      key: event.sensor,
      value: JSON.stringify(event),
      ...(partition === undefined ? {} : { partition }),
    })),
  });
}

const reading = (sensor: string, value: number): SensorEvent => ({ id: randomUUID(), sensor, value, ts: 1_700_000_000_000 + value });

/** Messages on `topic` so far (the sum of its partitions' high watermarks; no transactions here). */
async function messageCount(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** Waits until the group has committed every partition of the events topic up to its end: all work done. */
async function waitCaughtUp(names: { events: string; group: string }): Promise<void> {
  await waitUntil(
    `group ${names.group} to commit the end of ${names.events}`,
    async () => {
      const ends = await admin.fetchTopicOffsets(names.events);
      const [committed] = await admin.fetchOffsets({ groupId: names.group, topics: [names.events] });
      // A partition that never had an event has nothing to commit.
      return ends.every(
        (end) =>
          end.high === end.low ||
          committed?.partitions.find((c) => c.partition === end.partition)?.offset === end.high,
      );
    },
    { attempts: 240, intervalMs: 250 },
  );
}

/** Every result on the results topic once at least `atLeast` are there, checking each key is its sensor. */
async function readResults(topic: string, atLeast: number): Promise<WindowResult[]> {
  await waitUntil(`${atLeast} results on ${topic}`, async () => (await messageCount(topic)) >= atLeast, {
    attempts: 240,
    intervalMs: 250,
  });
  const total = await messageCount(topic);
  const seen: { key: string; result: WindowResult }[] = [];
  const reader = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  readers.push(reader);
  await reader.connect();
  await reader.subscribe({ topic, fromBeginning: true });
  await reader.run({
    eachMessage: async ({ message }) => {
      const result = windowResultSchema.parse(JSON.parse(String(message.value)));
      seen.push({ key: String(message.key), result });
    },
  });
  await waitUntil(`reading ${total} results from ${topic}`, async () => seen.length >= total, {
    attempts: 240,
    intervalMs: 250,
  });
  await reader.disconnect();
  for (const { key, result } of seen) expect(key).toBe(result.sensor);
  return seen.map((s) => s.result);
}

const bySensor = (results: WindowResult[], sensor: string) => results.filter((r) => r.sensor === sensor);

describe('aggregator on the real Kafka', () => {
  it('averages a known sequence exactly, per sensor, keyed by sensor', async () => {
    const names = await freshNames(3);
    await startAggregatorProcess(names, 'exact');
    const events: { event: SensorEvent }[] = [];
    for (let i = 1; i <= 60; i++) {
      events.push({ event: reading('A', i) });
      if (i <= 40) events.push({ event: reading('B', 100 + i) });
    }
    await send(names.events, events);
    await waitCaughtUp(names);

    const results = await readResults(names.results, 5);
    expect(results).toHaveLength(5);
    const end = (value: number) => 1_700_000_000_000 + value;
    expect(bySensor(results, 'A')).toEqual([
      { sensor: 'A', avg: 10.5, count: 20, windowEnd: end(20) },
      { sensor: 'A', avg: 30.5, count: 20, windowEnd: end(40) },
      { sensor: 'A', avg: 50.5, count: 20, windowEnd: end(60) },
    ]);
    expect(bySensor(results, 'B')).toEqual([
      { sensor: 'B', avg: 110.5, count: 20, windowEnd: end(120) },
      { sensor: 'B', avg: 130.5, count: 20, windowEnd: end(140) },
    ]);
  });

  it('loses no window and repeats none when killed with SIGKILL mid-window', async () => {
    const names = await freshNames(1);
    // A, A, B, A, A, B, …: A's windows close while B's first window is still open, so the restart must
    // re-read from B's first event yet skip the A events that are already in A's emitted window.
    const pattern = (from: number, to: number) => {
      const events: { event: SensorEvent }[] = [];
      for (let k = from; k <= to; k++) {
        events.push({ event: reading('A', 2 * k - 1) }, { event: reading('A', 2 * k) }, { event: reading('B', 1000 + k) });
      }
      return events;
    };
    const first = await startAggregatorProcess(names, 'before-kill');
    await send(names.events, pattern(1, 15)); // A1..A30, B1001..B1015
    // The commit rule, observed on the broker: the offset of B's first event (offset 2), and A's next
    // window start (the offset after A20, which is event 28) in the metadata.
    await waitUntil(
      'the aggregator to commit offset 2',
      async () => {
        const [topic] = await admin.fetchOffsets({ groupId: names.group, topics: [names.events] });
        const committed = topic?.partitions[0];
        return committed?.offset === '2' && JSON.parse(committed.metadata ?? '{}').skip?.A === '29';
      },
      { attempts: 80, intervalMs: 250 },
    );
    expect(await readResults(names.results, 1)).toEqual([
      { sensor: 'A', avg: 10.5, count: 20, windowEnd: 1_700_000_000_020 },
    ]);
    first.child.kill('SIGKILL');
    await first.exited;

    await send(names.events, pattern(16, 30)); // A31..A60, B1016..B1030
    await startAggregatorProcess(names, 'after-kill');
    await send(names.events, pattern(31, 40).filter(({ event }) => event.sensor === 'B')); // B1031..B1040
    await waitCaughtUp(names);

    const results = await readResults(names.results, 5);
    expect(results).toHaveLength(5);
    const end = (value: number) => 1_700_000_000_000 + value;
    expect(bySensor(results, 'A')).toEqual([
      { sensor: 'A', avg: 10.5, count: 20, windowEnd: end(20) },
      { sensor: 'A', avg: 30.5, count: 20, windowEnd: end(40) },
      { sensor: 'A', avg: 50.5, count: 20, windowEnd: end(60) },
    ]);
    expect(bySensor(results, 'B')).toEqual([
      { sensor: 'B', avg: 1010.5, count: 20, windowEnd: end(1020) },
      { sensor: 'B', avg: 1030.5, count: 20, windowEnd: end(1040) },
    ]);
  });

  it('delivers every window when a second instance joins and takes over partitions mid-window', async () => {
    const names = await freshNames(2);
    const sensorsOf = [
      ['A', 'B'],
      ['C', 'D'],
    ] as const;
    const round = (from: number, to: number) => {
      const events: { event: SensorEvent; partition: number }[] = [];
      for (let v = from; v <= to; v++) {
        sensorsOf.forEach((sensors, partition) => {
          for (const sensor of sensors) events.push({ event: reading(sensor, v), partition });
        });
      }
      return events;
    };
    await startAggregatorProcess(names, 'one');
    await send(names.events, round(1, 30));
    await readResults(names.results, 4);
    await startAggregatorProcess(names, 'two');
    await waitUntil(
      'both instances to own a partition',
      async () => {
        const { groups } = await admin.describeGroups([names.group]);
        return groups[0]?.state === 'Stable' && groups[0].members.length === 2;
      },
      { attempts: 120, intervalMs: 250 },
    );
    await send(names.events, round(31, 60));
    await waitCaughtUp(names);

    // At-least-once: a window may be repeated by a rebalance, but each one appears, in order, with exact values.
    const results = await readResults(names.results, 12);
    for (const sensor of ['A', 'B', 'C', 'D']) {
      const distinct = [...new Map(bySensor(results, sensor).map((r) => [r.windowEnd, r])).values()];
      expect(distinct.map((r) => r.avg)).toEqual([10.5, 30.5, 50.5]);
      expect(distinct.every((r) => r.count === 20)).toBe(true);
    }
  });
});
