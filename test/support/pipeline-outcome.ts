// Uploads with retries, then checks what the pipeline made of them: renditions present, lost uploads, DLQ, duplicates.
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import type { Client } from 'minio';
import pLimit from 'p-limit';
import { renditionKey } from '../../contracts/rendition-key';
import type { Rendition } from '../../contracts/renditions';
import type { ProcessorLogLine } from './pipeline-processor';

/** An object the test stored in the uploads bucket, with the ETag MinIO answered. */
export interface Upload {
  key: string;
  etag: string;
}

/**
 * Stores `body` under `key`, retrying while MinIO is unreachable (a restart), for at most `deadlineMs`.
 * Only an acknowledged PUT counts as an upload, as for a real client.
 */
export async function uploadWithRetry(
  client: Client,
  bucket: string,
  key: string,
  body: Buffer,
  deadlineMs = 60_000,
): Promise<Upload & { attempts: number }> {
  const deadline = Date.now() + deadlineMs;
  for (let attempts = 1; ; attempts++) {
    try {
      const info = await client.putObject(bucket, key, body, body.length);
      return { key, etag: info.etag, attempts };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

/** Keys of every object under the bucket. */
export async function listKeys(client: Client, bucket: string): Promise<Set<string>> {
  const keys = new Set<string>();
  const stream = client.listObjectsV2(bucket, '', true);
  for await (const item of stream as AsyncIterable<{ name?: string }>) if (item.name) keys.add(item.name);
  return keys;
}

/** Uploads whose renditions are not all in `processedKeys`. */
export function missingRenditions(uploads: readonly Upload[], renditions: readonly Rendition[], processedKeys: ReadonlySet<string>): Upload[] {
  return uploads.filter((u) => renditions.some((r) => !processedKeys.has(renditionKey(u.key, r))));
}

/** Polls the processed bucket until every upload has its renditions or `timeoutMs` passes; returns the missing. */
export async function waitForRenditions(
  client: Client,
  bucket: string,
  uploads: readonly Upload[],
  renditions: readonly Rendition[],
  timeoutMs: number,
  stillUnfinished?: () => void,
): Promise<Upload[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = missingRenditions(uploads, renditions, await listKeys(client, bucket));
    if (missing.length === 0 || Date.now() > deadline) return missing;
    stillUnfinished?.();
    await sleep(1_000);
  }
}

/** Renditions whose `source-etag` is not the ETag of the upload they were made from. */
export async function renditionsWithWrongSource(
  client: Client,
  bucket: string,
  uploads: readonly Upload[],
  renditions: readonly Rendition[],
): Promise<string[]> {
  const limit = pLimit(8);
  const wrong: string[] = [];
  await Promise.all(
    uploads.flatMap((u) =>
      renditions.map((r) =>
        limit(async () => {
          const key = renditionKey(u.key, r);
          const stat = await client.statObject(bucket, key);
          if (stat.metaData['source-etag'] !== u.etag) wrong.push(`${key}: ${String(stat.metaData['source-etag'])} ≠ ${u.etag}`);
        }),
      ),
    ),
  );
  return wrong;
}

/** Messages in a topic: the sum of its partitions' high watermarks (no transactions, so no control records). */
export async function topicMessageCount(brokers: string[], topic: string): Promise<number> {
  const admin = new Kafka({ clientId: 'pipeline-test', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** How many times each key was logged "rendered" across processor runs; more than once means it was redone. */
export function renderCounts(lines: readonly ProcessorLogLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (line.msg === 'rendered' && typeof line.key === 'string') counts.set(line.key, (counts.get(line.key) ?? 0) + 1);
  }
  return counts;
}

/** The numbers a chaos run prints and asserts. */
export interface ChaosCounts {
  uploaded: number;
  withRenditions: number;
  lost: number;
  dlq: number;
  /** Renders logged beyond the first per key (replays after a kill; they overwrite the same keys). */
  duplicatesProcessed: number;
}

export function chaosCounts(input: {
  uploads: readonly Upload[];
  missing: readonly Upload[];
  dlq: number;
  renders: ReadonlyMap<string, number>;
}): ChaosCounts {
  let duplicates = 0;
  for (const count of input.renders.values()) duplicates += Math.max(0, count - 1);
  return {
    uploaded: input.uploads.length,
    withRenditions: input.uploads.length - input.missing.length,
    lost: input.missing.length,
    dlq: input.dlq,
    duplicatesProcessed: duplicates,
  };
}
