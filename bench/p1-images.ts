// P1: the image pipeline — wolke's processor against the classic Python resize consumer, on the same Kafka, MinIO and images.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client as MinioClient, type Client } from 'minio';
import { minioClientOptions } from '../apps/lib/minio';
import { ensureBucketNotification, ensureBuckets } from '../apps/lib/setup';
import { renditionsSchema } from '../apps/processor/rendition';
import { freePort } from '../testbed/ports';
import type { Supervised } from '../testbed/process';
import { completionTimes, listObjects } from './completions';
import { generateImages, type GeneratedImage } from './images';
import type { BenchmarkResult, SubjectSamples } from './result';
import { interleave, median, percentile, ratePerSecond, speedup } from './stats';
import { peerPython, startSubject, tsxArgs, whileAlive } from './subject-process';

export interface ImagePipelineOptions {
  brokers: string[];
  minio: { endpoint: string; accessKey: string; secretKey: string };
  /** Topic the test bed's MinIO publishes bucket notifications to. */
  sourceTopic: string;
  cacheRoot: string;
  logDir: string;
  rounds: number;
  /** Uploads queued before a subject starts, for images per second. */
  throughputImages: number;
  /** Longest a subject may take for them; the rate is then taken over the uploads it finished. */
  throughputDeadlineSeconds: number;
  /** Fixed upload rate and how long it lasts, for latency. */
  uploadsPerSecond: number;
  uploadSeconds: number;
  /** How long after the last upload unfinished ones are waited for; they count as at least this late. */
  drainSeconds: number;
  width: number;
  height: number;
}

type Subject = 'wolke' | 'python';
const uploadsBucket = 'uploads';
const processedBucket = 'processed';
const dlqTopic = 'bench-minio-events.dlq';
/** The model's default renditions, as both subjects get them. */
const renditions = renditionsSchema.parse(undefined);
const renditionFiles = renditions.map((r) => `${r.name}.${r.format}`);

interface Context {
  options: ImagePipelineOptions;
  admin: Admin;
  minio: Client;
  /** Prefix of this whole benchmark run in both buckets. */
  runPrefix: string;
  images: GeneratedImage[];
}

async function startProcessor(ctx: Context, subject: Subject, groupId: string, name: string): Promise<Supervised> {
  const { options } = ctx;
  const env: Record<string, string> = {
    KAFKA_BROKERS: options.brokers.join(','),
    KAFKA_CLIENT_ID: name,
    MINIO_ENDPOINT: options.minio.endpoint,
    MINIO_ACCESS_KEY: options.minio.accessKey,
    MINIO_SECRET_KEY: options.minio.secretKey,
    SOURCE_TOPIC: options.sourceTopic,
    DLQ_TOPIC: dlqTopic,
    PROCESSED_BUCKET: processedBucket,
    RENDITIONS: JSON.stringify(renditions),
    GROUP_ID: groupId,
    // What the deployment runs with (charts/app-env.ts).
    LOG_LEVEL: 'info',
  };
  if (subject === 'wolke') {
    env.OPS_PORT = String(await freePort());
    return startSubject(name, process.execPath, tsxArgs('apps/processor/main.ts'), env, options.logDir);
  }
  return startSubject(name, peerPython(options.cacheRoot), ['bench/peers/resize_consumer.py'], env, options.logDir);
}

async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** A new group whose committed offsets are the topic's end, so a run sees only its own uploads. */
async function freshGroup(ctx: Context, name: string): Promise<string> {
  const groupId = `${name}-${randomUUID().slice(0, 8)}`;
  const topic = ctx.options.sourceTopic;
  // Concrete offsets, not "latest": a group with committed -1 means "no offset" to kafka-python, which would
  // then start from the earliest message.
  const partitions = (await ctx.admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high }));
  await ctx.admin.setOffsets({ groupId, topic, partitions });
  const [committed] = await ctx.admin.fetchOffsets({ groupId, topics: [topic] });
  for (const { partition, offset } of partitions) {
    const actual = committed?.partitions.find((p) => p.partition === partition)?.offset;
    if (actual !== offset) throw new Error(`${groupId}: partition ${partition} committed at ${actual}, wanted ${offset}`);
  }
  return groupId;
}

async function upload(ctx: Context, key: string, image: GeneratedImage): Promise<void> {
  await ctx.minio.putObject(uploadsBucket, key, image.body, image.body.length, { 'Content-Type': 'image/jpeg' });
}

const stemOf = (key: string): string => key.replace(/\.jpg$/, '');

/** Polls the processed bucket until every stem has all renditions or `deadline` (epoch ms) passes. */
async function waitForRenditions(ctx: Context, prefix: string, stems: string[], deadline: number, child: Supervised): Promise<Map<string, number>> {
  for (;;) {
    const done = completionTimes(await listObjects(ctx.minio, processedBucket, `${prefix}/`), renditionFiles);
    if (stems.every((s) => done.has(s)) || Date.now() >= deadline) return done;
    await whileAlive(child, sleep(500));
  }
}

/** Images per second: uploads are queued first, then the subject starts and drains them. */
async function measureThroughput(ctx: Context, subject: Subject, round: number): Promise<{ rate: number; done: number }> {
  const { options } = ctx;
  const name = `p1-throughput-${subject}-${round}`;
  const prefix = `${ctx.runPrefix}/${name}`;
  const groupId = await freshGroup(ctx, name);
  const before = await endOffsetSum(ctx.admin, options.sourceTopic);
  const keys = Array.from({ length: options.throughputImages }, (_, i) => `${prefix}/${ctx.images[i % ctx.images.length]!.name.replace('.jpg', '')}-${i}.jpg`);
  for (let i = 0; i < keys.length; i += 8) {
    await Promise.all(keys.slice(i, i + 8).map((key, j) => upload(ctx, key, ctx.images[(i + j) % ctx.images.length]!)));
  }
  // MinIO notifies asynchronously: the subject starts once every event is in Kafka.
  for (let attempt = 0; (await endOffsetSum(ctx.admin, options.sourceTopic)) < before + keys.length; attempt++) {
    if (attempt > 300) throw new Error(`${name}: MinIO did not deliver ${keys.length} notifications within 30 s`);
    await sleep(100);
  }
  const child = await startProcessor(ctx, subject, groupId, name);
  try {
    const done = await waitForRenditions(ctx, prefix, keys.map(stemOf), Date.now() + options.throughputDeadlineSeconds * 1000, child);
    if (done.size < 2) throw new Error(`${name}: fewer than 2 uploads rendered within ${options.throughputDeadlineSeconds} s`);
    const times = [...done.values()];
    return { rate: ratePerSecond(done.size - 1, Math.max(...times) - Math.min(...times)), done: done.size };
  } finally {
    await child.stop('SIGTERM', 10_000);
  }
}

interface LatencyRun {
  latencies: number[];
  unfinished: number;
}

/** Latency at a fixed upload rate: a running subject, uploads paced by the clock, latency from the scheduled time. */
async function measureLatency(ctx: Context, subject: Subject, round: number): Promise<LatencyRun> {
  const { options } = ctx;
  const name = `p1-latency-${subject}-${round}`;
  const prefix = `${ctx.runPrefix}/${name}`;
  const groupId = await freshGroup(ctx, name);
  const child = await startProcessor(ctx, subject, groupId, name);
  try {
    // Warm-up: the first upload is done once the subject has joined its group and rendered.
    await upload(ctx, `${prefix}/warm-up/photo.jpg`, ctx.images[0]!);
    const warmed = await waitForRenditions(ctx, `${prefix}/warm-up`, [`${prefix}/warm-up/photo`], Date.now() + 120_000, child);
    if (warmed.size === 0) throw new Error(`${name}: the warm-up upload was not rendered within 120 s`);

    const count = Math.round(options.uploadsPerSecond * options.uploadSeconds);
    const intervalMs = 1000 / options.uploadsPerSecond;
    const start = Date.now() + 50;
    const scheduled = new Map<string, number>();
    const uploads: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const at = start + i * intervalMs;
      const wait = at - Date.now();
      if (wait > 0) await sleep(wait);
      const image = ctx.images[i % ctx.images.length]!;
      const key = `${prefix}/paced/${image.name.replace('.jpg', '')}-${i}.jpg`;
      scheduled.set(stemOf(key), at);
      uploads.push(upload(ctx, key, image));
    }
    await Promise.all(uploads);
    const deadline = start + count * intervalMs + options.drainSeconds * 1000;
    const done = await waitForRenditions(ctx, `${prefix}/paced`, [...scheduled.keys()], deadline, child);
    // Unfinished uploads are censored at the deadline: their latency is at least that.
    const latencies = [...scheduled].map(([stem, at]) => (done.get(stem) ?? deadline) - at);
    return { latencies, unfinished: scheduled.size - [...scheduled.keys()].filter((s) => done.has(s)).length };
  } finally {
    await child.stop('SIGTERM', 10_000);
  }
}

export async function runImagePipeline(options: ImagePipelineOptions, progress: (line: string) => void): Promise<BenchmarkResult> {
  const kafka = new Kafka({ clientId: 'wolke-bench', brokers: options.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const minio = new MinioClient(minioClientOptions(options.minio.endpoint, options.minio));
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: dlqTopic, numPartitions: 1 }] });
  await ensureBuckets(minio, [uploadsBucket, processedBucket]);
  await ensureBucketNotification(minio, uploadsBucket);
  const runPrefix = `bench-${Date.now()}`;
  try {
    const images = await generateImages(8, options.width, options.height);
    const ctx: Context = { options, admin, minio, runPrefix, images };
    const subjects: Subject[] = ['wolke', 'python'];
    const throughput = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
    const p50 = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
    const p99 = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
    const unfinished = new Map<Subject, number>(subjects.map((s) => [s, 0]));
    const partial = new Map<Subject, number>(subjects.map((s) => [s, 0]));

    for (const [subject, round] of interleave(subjects, options.rounds)) {
      const run = await measureThroughput(ctx, subject, round);
      throughput.get(subject)!.push(run.rate);
      if (run.done < options.throughputImages) partial.set(subject, partial.get(subject)! + 1);
      progress(
        `P1 ${subject} round ${round + 1}: ${run.rate.toFixed(1)} images/s` +
          (run.done < options.throughputImages ? ` (over ${run.done} of ${options.throughputImages} done by the deadline)` : ''),
      );
    }
    for (const [subject, round] of interleave(subjects, options.rounds)) {
      const run = await measureLatency(ctx, subject, round);
      p50.get(subject)!.push(percentile(run.latencies, 50));
      p99.get(subject)!.push(percentile(run.latencies, 99));
      unfinished.set(subject, unfinished.get(subject)! + run.unfinished);
      progress(
        `P1 ${subject} round ${round + 1}: p50 ${percentile(run.latencies, 50).toFixed(0)} ms, p99 ${percentile(run.latencies, 99).toFixed(0)} ms` +
          (run.unfinished > 0 ? ` (${run.unfinished} unfinished after the ${options.drainSeconds} s drain)` : ''),
      );
    }

    const samples = (map: Map<Subject, number[]>, subject: Subject, note?: string): SubjectSamples => {
      const values = map.get(subject)!;
      return {
        subject: subject === 'wolke' ? 'wolke processor' : 'Python peer (kafka-python + Pillow)',
        samples: values,
        median: median(values),
        ...(note === undefined ? {} : { note }),
      };
    };
    const censored = (subject: Subject): string | undefined =>
      unfinished.get(subject)! > 0 ? `lower bound: ${unfinished.get(subject)} uploads unfinished at the deadline` : undefined;
    const partialNote = (subject: Subject): string | undefined =>
      partial.get(subject)! > 0 ? `${partial.get(subject)} round(s) hit the ${options.throughputDeadlineSeconds} s deadline; rate over the uploads done` : undefined;
    const wolkeRate = median(throughput.get('wolke')!);
    const peerRate = median(throughput.get('python')!);
    const wolkeP99 = median(p99.get('wolke')!);
    const factor = speedup(wolkeRate, peerRate, 'higher');
    return {
      id: 'P1',
      title: 'Image pipeline: upload → Kafka → renditions',
      setup:
        `${options.width}×${options.height} JPEGs (~${Math.round(images.reduce((s, i) => s + i.body.length, 0) / images.length / 1024)} KiB, generated with sharp), ` +
        `renditions ${renditions.map((r) => `${r.name} ${r.size}px ${r.format}`).join(', ')}; ` +
        `throughput over ${options.throughputImages} queued uploads; latency at ${options.uploadsPerSecond} uploads/s for ${options.uploadSeconds} s ` +
        `(from the scheduled upload time until the last rendition lands, waited for at most ${options.drainSeconds} s after the last upload); ` +
        `${options.rounds} interleaved rounds, medians`,
      measurements: [
        { metric: 'throughput', unit: 'images/s', better: 'higher', results: subjects.map((s) => samples(throughput, s, partialNote(s))) },
        { metric: 'latency p50', unit: 'ms', better: 'lower', results: subjects.map((s) => samples(p50, s, censored(s))) },
        { metric: 'latency p99', unit: 'ms', better: 'lower', results: subjects.map((s) => samples(p99, s, censored(s))) },
      ],
      targets: [
        {
          description: 'throughput ≥ 5× the Python peer',
          met: factor >= 5,
          detail: `${factor.toFixed(2)}× (${wolkeRate.toFixed(1)} vs ${peerRate.toFixed(1)} images/s)`,
        },
        {
          description: `p99 ≤ 500 ms at ${options.uploadsPerSecond} uploads/s`,
          met: wolkeP99 <= 500 && unfinished.get('wolke') === 0,
          detail: `p99 ${wolkeP99.toFixed(0)} ms${unfinished.get('wolke')! > 0 ? ` (lower bound; ${unfinished.get('wolke')} unfinished)` : ''}`,
        },
      ],
      notes: [],
    };
  } finally {
    await admin.disconnect();
  }
}
