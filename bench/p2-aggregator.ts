// P2: the aggregator — wolke's against Kafka's own Java consumer (the practical limit) and a kafka-python peer, over one pre-filled topic.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { producerDefaults } from '../apps/lib/kafka';
import { kafkaRelease } from '../testbed/kafka-release';
import { freePort } from '../testbed/ports';
import type { Supervised } from '../testbed/process';
import { parseConsumerPerformance } from './consumer-performance';
import { counterRate, observedRate, type Observed } from './counter-rate';
import type { BenchmarkResult } from './result';
import { interleave, median, speedup } from './stats';
import { peerPython, startSubject, tsxArgs, whileAlive } from './subject-process';

export interface AggregatorBenchOptions {
  brokers: string[];
  cacheRoot: string;
  logDir: string;
  rounds: number;
  /** Sensor events in the pre-filled topic. */
  events: number;
  /** Distinct sensors (message keys) the events spread over. */
  sensors: number;
  /** Longest one subject may take to read every event. */
  deadlineSeconds: number;
}

type Subject = 'wolke' | 'java' | 'python';
const eventsTopic = 'bench-events';
const resultsTopic = 'bench-results';
/** As the model gives the events topic (config/environments/example.yaml). */
const eventsPartitions = 3;

async function fillTopic(kafka: Kafka, options: AggregatorBenchOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: eventsTopic, numPartitions: eventsPartitions },
      { topic: resultsTopic, numPartitions: eventsPartitions },
    ],
  });
  await admin.disconnect();
  const producer = kafka.producer(producerDefaults);
  await producer.connect();
  const sensors = Array.from({ length: options.sensors }, (_, i) => `sensor-${String(i).padStart(2, '0')}`);
  const batchSize = 5_000;
  const ts = Date.now();
  for (let sent = 0; sent < options.events; sent += batchSize) {
    const messages: Message[] = [];
    for (let i = sent; i < Math.min(options.events, sent + batchSize); i++) {
      const sensor = sensors[i % sensors.length]!;
      messages.push({ key: sensor, value: JSON.stringify({ id: randomUUID(), sensor, value: 20 + Math.sin(i / 50) * 5, ts: ts + i }) });
    }
    await producer.send({ topic: eventsTopic, acks: -1, messages });
  }
  await producer.disconnect();
}

/** wolke's aggregator: the rate between the first scrape that shows events consumed and the one that shows all. */
async function runWolke(options: AggregatorBenchOptions, name: string): Promise<Observed> {
  const port = await freePort();
  const child = startSubject(
    name,
    process.execPath,
    tsxArgs('apps/aggregator/main.ts'),
    {
      KAFKA_BROKERS: options.brokers.join(','),
      KAFKA_CLIENT_ID: name,
      EVENTS_TOPIC: eventsTopic,
      RESULTS_TOPIC: resultsTopic,
      GROUP_ID: `${name}-${randomUUID().slice(0, 8)}`,
      OPS_PORT: String(port),
      OPS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    options.logDir,
  );
  try {
    return await counterRate(child, { name, port, counter: 'aggregator_events_consumed_total', total: options.events, deadlineSeconds: options.deadlineSeconds, verb: 'consumed' });
  } finally {
    await child.stop('SIGTERM', 10_000);
  }
}

/** The Python peer reports when its first batch arrived, its progress, and when it had read every event. */
async function runPython(options: AggregatorBenchOptions, name: string): Promise<Observed> {
  const child = startSubject(
    name,
    peerPython(options.cacheRoot),
    ['bench/peers/window_aggregator.py'],
    {
      KAFKA_BROKERS: options.brokers.join(','),
      EVENTS_TOPIC: eventsTopic,
      RESULTS_TOPIC: resultsTopic,
      GROUP_ID: `${name}-${randomUUID().slice(0, 8)}`,
      WINDOW_SIZE: '20',
      EXPECT: String(options.events),
    },
    options.logDir,
  );
  type Report = { first?: number; progress?: number; at?: number; done?: number };
  const reports = (): Report[] =>
    readFileSync(child.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{') && l.endsWith('}'))
      .map((l) => JSON.parse(l) as Report);
  try {
    const deadline = Date.now() + options.deadlineSeconds * 1000;
    while (Date.now() < deadline && !reports().some((r) => r.done !== undefined)) await whileAlive(child, sleep(100));
    const all = reports();
    const first = all.find((r) => r.first !== undefined)?.first;
    const done = all.find((r) => r.done !== undefined)?.done;
    const progress = all.filter((r) => r.progress !== undefined && r.at !== undefined).at(-1);
    if (first === undefined) throw new Error(`${name}: consumed nothing within ${options.deadlineSeconds} s`);
    const last = done !== undefined ? { at: done * 1000, count: options.events } : progress ? { at: progress.at! * 1000, count: progress.progress! } : undefined;
    if (last === undefined) throw new Error(`${name}: no progress report within ${options.deadlineSeconds} s`);
    return observedRate({ at: first * 1000, count: 0 }, last, options.events, name);
  } finally {
    await child.stop('SIGTERM', 10_000);
  }
}

/** Kafka's ConsumerPerformance: its own fetch rate (messages per second, excluding the group join), on `topic`. */
export async function runJava(
  options: Pick<AggregatorBenchOptions, 'brokers' | 'cacheRoot' | 'logDir' | 'events' | 'deadlineSeconds'>,
  name: string,
  topic = eventsTopic,
): Promise<Observed> {
  const libs = join(options.cacheRoot, 'kafka', kafkaRelease(), 'tools-libs');
  const child: Supervised = startSubject(
    name,
    'java',
    [
      '-Xmx512m',
      '-cp',
      `${libs}/*`,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      options.brokers.join(','),
      '--topic',
      topic,
      '--num-records',
      String(options.events),
      '--group',
      `${name}-${randomUUID().slice(0, 8)}`,
      '--timeout',
      String(options.deadlineSeconds * 1000),
    ],
    {},
    options.logDir,
  );
  const code = await Promise.race([child.exited, sleep(options.deadlineSeconds * 1000 + 15_000).then(() => 'timeout' as const)]);
  await child.stop('SIGKILL');
  if (code !== 0) throw new Error(`${name}: ConsumerPerformance ended with ${code}; see ${child.logFile}`);
  const stats = parseConsumerPerformance(readFileSync(child.logFile, 'utf8'));
  if (stats.messages < options.events) throw new Error(`${name}: read ${stats.messages} of ${options.events} events`);
  return { rate: stats.fetchMessagesPerSecond, complete: true };
}

export async function runAggregatorBench(options: AggregatorBenchOptions, progress: (line: string) => void): Promise<BenchmarkResult> {
  const kafka = new Kafka({ clientId: 'wolke-bench', brokers: options.brokers, logLevel: logLevel.NOTHING });
  const filling = Date.now();
  await fillTopic(kafka, options);
  progress(`P2 filled ${eventsTopic} with ${options.events} events in ${((Date.now() - filling) / 1000).toFixed(1)} s`);

  const subjects: Subject[] = ['wolke', 'java', 'python'];
  const rates = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
  const partial = new Map<Subject, number>(subjects.map((s) => [s, 0]));
  const run = { wolke: runWolke, java: (o: AggregatorBenchOptions, n: string) => runJava(o, n), python: runPython };
  for (const [subject, round] of interleave(subjects, options.rounds)) {
    const observed = await run[subject](options, `p2-${subject}-${round}`);
    rates.get(subject)!.push(observed.rate);
    if (!observed.complete) partial.set(subject, partial.get(subject)! + 1);
    progress(`P2 ${subject} round ${round + 1}: ${Math.round(observed.rate)} events/s${observed.complete ? '' : ` (not done after ${options.deadlineSeconds} s; rate so far)`}`);
  }
  const labels: Record<Subject, string> = {
    wolke: 'wolke aggregator (kafkajs)',
    java: 'Kafka ConsumerPerformance (Java, read only)',
    python: 'Python peer (kafka-python)',
  };
  const med = (s: Subject): number => median(rates.get(s)!);
  const ofJava = med('wolke') / med('java');
  const overPython = speedup(med('wolke'), med('python'), 'higher');
  return {
    id: 'P2',
    title: 'Aggregator: sensor events through count windows',
    setup:
      `${options.events} events over ${options.sensors} sensors in a ${eventsPartitions}-partition topic, window 20; ` +
      `each run is a new consumer group reading from the start; ${options.rounds} interleaved rounds, medians`,
    measurements: [
      {
        metric: 'throughput',
        unit: 'events/s',
        better: 'higher',
        results: subjects.map((s) => ({
          subject: labels[s],
          samples: rates.get(s)!,
          median: med(s),
          ...(partial.get(s)! > 0 ? { note: `${partial.get(s)} round(s) stopped at the ${options.deadlineSeconds} s deadline; rate over what was read` } : {}),
        })),
      },
    ],
    targets: [
      { description: '≥ 50 % of Kafka’s Java consumer', met: ofJava >= 0.5, detail: `${(ofJava * 100).toFixed(0)} %` },
      { description: '≥ 5× the Python peer', met: overPython >= 5, detail: `${overPython.toFixed(2)}×` },
    ],
    notes: [
      'The Java tool only reads (no parsing, no windows, no produce): it is the ceiling of the broker and client, not a peer with the same work.',
    ],
  };
}
