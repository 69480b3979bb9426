// P5: the lake sink — records/s from Kafka into Parquet files in MinIO, beside Kafka's own Java consumer on the same topic.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { producerDefaults } from '../apps/lib/kafka';
import { createMinio } from '../apps/lib/minio';
import type { MinioTestbed } from '../testbed/minio';
import { freePort } from '../testbed/ports';
import { counterRate, type Observed } from './counter-rate';
import { runJava } from './p2-aggregator';
import type { BenchmarkResult } from './result';
import { interleave, median } from './stats';
import { startSubject, tsxArgs } from './subject-process';

export interface LakeSinkBenchOptions {
  brokers: string[];
  minio: MinioTestbed;
  cacheRoot: string;
  logDir: string;
  rounds: number;
  /** Sensor events in the pre-filled topic. */
  events: number;
  /** Longest one subject may take to read every event. */
  deadlineSeconds: number;
}

type Subject = 'lake-sink' | 'java';
const topics = { events: 'bench-lake-events', results: 'bench-lake-results', anomalies: 'bench-lake-anomalies', dlq: 'bench-lake-dlq' };
/** As the model gives the events topic (config/environments/example.yaml). */
const eventsPartitions = 3;

async function fillTopic(kafka: Kafka, options: LakeSinkBenchOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.events, numPartitions: eventsPartitions },
      { topic: topics.results, numPartitions: 1 },
      { topic: topics.anomalies, numPartitions: 1 },
      { topic: topics.dlq, numPartitions: 1 },
    ],
  });
  await admin.disconnect();
  const producer = kafka.producer(producerDefaults);
  await producer.connect();
  const ts = Date.now();
  for (let sent = 0; sent < options.events; sent += 5_000) {
    const messages: Message[] = [];
    for (let i = sent; i < Math.min(options.events, sent + 5_000); i++) {
      const sensor = `sensor-${i % 12}`;
      messages.push({ key: sensor, value: JSON.stringify({ id: randomUUID(), sensor, value: 20 + Math.sin(i / 50) * 5, ts: ts + i }) });
    }
    await producer.send({ topic: topics.events, acks: -1, messages });
  }
  await producer.disconnect();
}

/** The sink with a new group and bucket: the rate between the first scrape with records in the lake and the one with all. */
async function runLakeSink(options: LakeSinkBenchOptions, name: string): Promise<Observed> {
  const bucket = `bench-lake-${randomUUID().slice(0, 8)}`;
  await createMinio({ MINIO_ENDPOINT: options.minio.endpoint, MINIO_ACCESS_KEY: options.minio.accessKey, MINIO_SECRET_KEY: options.minio.secretKey, MINIO_REGION: 'us-east-1' }).makeBucket(bucket, 'us-east-1');
  const port = await freePort();
  const child = startSubject(
    name,
    process.execPath,
    tsxArgs('apps/lake-sink/main.ts'),
    {
      KAFKA_BROKERS: options.brokers.join(','),
      KAFKA_CLIENT_ID: name,
      MINIO_ENDPOINT: options.minio.endpoint,
      MINIO_ACCESS_KEY: options.minio.accessKey,
      MINIO_SECRET_KEY: options.minio.secretKey,
      EVENTS_TOPIC: topics.events,
      RESULTS_TOPIC: topics.results,
      ANOMALIES_TOPIC: topics.anomalies,
      DLQ_TOPIC: topics.dlq,
      LAKE_BUCKET: bucket,
      GROUP_ID: `${name}-${randomUUID().slice(0, 8)}`,
      // The model's roll size; a short time roll so the last, partly filled files do not wait a minute.
      ROLL_MS: '1000',
      OPS_PORT: String(port),
      OPS_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    options.logDir,
  );
  try {
    return await counterRate(child, { name, port, counter: 'lake_records_written_total', total: options.events, deadlineSeconds: options.deadlineSeconds, fromZero: true, verb: 'wrote' });
  } finally {
    await child.stop('SIGTERM', 10_000);
  }
}

export async function runLakeSinkBench(options: LakeSinkBenchOptions, progress: (line: string) => void): Promise<BenchmarkResult> {
  const kafka = new Kafka({ clientId: 'wolke-bench', brokers: options.brokers, logLevel: logLevel.NOTHING });
  await fillTopic(kafka, options);
  const subjects: Subject[] = ['lake-sink', 'java'];
  const rates = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
  for (const [subject, round] of interleave(subjects, options.rounds)) {
    const name = `p5-${subject}-${round}`;
    const observed = subject === 'java' ? await runJava(options, name, topics.events) : await runLakeSink(options, name);
    rates.get(subject)!.push(observed.rate);
    progress(`P5 ${subject} round ${round + 1}: ${Math.round(observed.rate)} records/s${observed.complete ? '' : ` (not done after ${options.deadlineSeconds} s; rate so far)`}`);
  }
  const med = (s: Subject): number => median(rates.get(s)!);
  const ofJava = med('lake-sink') / med('java');
  return {
    id: 'P5',
    title: 'Lake sink: sensor events into Parquet files in MinIO',
    setup:
      `${options.events} events in a ${eventsPartitions}-partition topic; the sink with the model's 2 MiB roll (about 19,000 events a file) ` +
      `and a new group and bucket each run, counted from its first written file to its last; ${options.rounds} interleaved rounds, medians`,
    measurements: [
      {
        metric: 'throughput',
        unit: 'records/s',
        better: 'higher',
        results: [
          { subject: 'wolke lake sink (kafkajs, hyparquet-writer, MinIO)', samples: rates.get('lake-sink')!, median: med('lake-sink') },
          { subject: 'Kafka ConsumerPerformance (Java, read only)', samples: rates.get('java')!, median: med('java') },
        ],
      },
    ],
    targets: [{ description: '≥ 20 % of Kafka’s Java consumer', met: ofJava >= 0.2, detail: `${(ofJava * 100).toFixed(0)} %` }],
    notes: [
      'The Java tool only reads: the sink also parses and checks every record, writes Parquet and uploads each file before it commits, so the ceiling is far.',
    ],
  };
}
