// What the image pipeline benchmark (P1) shares between its measurements: its options, buckets and renditions, and
// how it starts a subject, gives it a fresh group, uploads and waits for renditions.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import type { Client } from 'minio';
import { renditionsSchema } from '../contracts/renditions';
import { freePort } from '../testbed/ports';
import type { Supervised } from '../testbed/process';
import { completionTimes, listObjects } from './completions';
import type { GeneratedImage } from './images';
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
  /** Latency is measured at this share of each subject's measured images/s (0.7: 70 % of its capacity)... */
  loadShare: number;
  /** ...for this long (at least `minLatencyUploads` uploads). */
  uploadSeconds: number;
  minLatencyUploads: number;
  /** Objects the processor renders at once (CONCURRENCY); the ceiling renders as many at once. */
  concurrency: number;
  /** WebP/AVIF efforts whose time and bytes the ceiling compares. */
  efforts: number[];
  /** How long after the last upload unfinished ones are waited for; they count as at least this late. */
  drainSeconds: number;
  width: number;
  height: number;
}

export type Subject = 'wolke' | 'python';
export type Row = 'ceiling' | Subject;
export const uploadsBucket = 'uploads';
export const processedBucket = 'processed';
export const dlqTopic = 'bench-minio-events.dlq';
/** The model's default renditions, as both subjects get them. */
export const renditions = renditionsSchema.parse(undefined);
export const renditionFiles = renditions.map((r) => `${r.name}.${r.format}`);

export interface Context {
  options: ImagePipelineOptions;
  admin: Admin;
  minio: Client;
  /** Prefix of this whole benchmark run in both buckets. */
  runPrefix: string;
  images: GeneratedImage[];
}

export async function startProcessor(ctx: Context, subject: Subject, groupId: string, name: string): Promise<Supervised> {
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
    CONCURRENCY: String(options.concurrency),
    // What the deployment runs with (charts/app-env.ts).
    LOG_LEVEL: 'info',
  };
  if (subject === 'wolke') {
    env.OPS_PORT = String(await freePort());
    return startSubject(name, process.execPath, tsxArgs('apps/processor/main.ts'), env, options.logDir);
  }
  return startSubject(name, peerPython(options.cacheRoot), ['bench/peers/resize_consumer.py'], env, options.logDir);
}

export async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** A new group whose committed offsets are the topic's end, so a run sees only its own uploads. */
export async function freshGroup(ctx: Context, name: string): Promise<string> {
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

export async function upload(ctx: Context, key: string, image: GeneratedImage): Promise<void> {
  await ctx.minio.putObject(uploadsBucket, key, image.body, image.body.length, { 'Content-Type': 'image/jpeg' });
}

export const stemOf = (key: string): string => key.replace(/\.jpg$/, '');

/** Polls the processed bucket until every stem has all renditions or `deadline` (epoch ms) passes. */
export async function waitForRenditions(ctx: Context, prefix: string, stems: string[], deadline: number, child: Supervised): Promise<Map<string, number>> {
  for (;;) {
    const done = completionTimes(await listObjects(ctx.minio, processedBucket, `${prefix}/`), renditionFiles);
    if (stems.every((s) => done.has(s)) || Date.now() >= deadline) return done;
    await whileAlive(child, sleep(500));
  }
}
