// P4: GET /images of the API under a steady 50 requests/s, against a processed bucket of many renditions; and how soon
// a new rendition shows up in it.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Result } from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { Client as MinioClient } from 'minio';
import pLimit from 'p-limit';
import { minioClientOptions } from '../apps/lib/minio';
import { ensureBuckets } from '../apps/lib/setup';
import { freePort } from '../testbed/ports';
import { waitUntil } from '../testbed/process';
import type { MinioTestbed } from '../testbed/minio';
import type { BenchmarkResult } from './result';
import { median } from './stats';
import { startSubject, tsxArgs, whileAlive } from './subject-process';

export interface ImagesApiBenchOptions {
  brokers: string[];
  minio: MinioTestbed;
  logDir: string;
  rounds: number;
  /** Source images in the processed bucket (two renditions each). */
  sources: number;
  requestsPerSecond: number;
  seconds: number;
  /** Images per page (the UI's default is 24: 48 signed URLs). */
  limit: number;
  /** The targets: p99 at that rate. */
  p99TargetMs: number;
}

/** One load run: autocannon at a fixed overall rate, as apps/loadgen does. */
function load(url: string, rps: number, seconds: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, overallRate: rps, duration: seconds, connections: Math.min(rps, 20), timeout: 10 }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

export async function runImagesApiBench(options: ImagesApiBenchOptions, log: (line: string) => void): Promise<BenchmarkResult> {
  const suffix = randomBytes(3).toString('hex');
  const buckets = { uploads: `bench-uploads-${suffix}`, processed: `bench-processed-${suffix}` };
  const resultsTopic = `bench-results-${suffix}`;
  const client = new MinioClient(minioClientOptions(options.minio.endpoint, { accessKey: options.minio.accessKey, secretKey: options.minio.secretKey }));
  await ensureBuckets(client, [buckets.uploads, buckets.processed]);
  const admin = new Kafka({ clientId: 'wolke-bench', brokers: options.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: resultsTopic, numPartitions: 1 }] });
  await admin.disconnect();

  // The processed bucket as the processor leaves it: <date>/<id>/{thumb.webp,preview.webp} of a few KB each.
  const started = Date.now();
  const body = randomBytes(4096);
  const limit = pLimit(16);
  await Promise.all(
    Array.from({ length: options.sources }, (_, i) =>
      limit(async () => {
        const source = `2026-12-0${1 + (i % 9)}/${String(i).padStart(6, '0')}-photo`;
        for (const rendition of ['thumb', 'preview']) {
          await client.putObject(buckets.processed, `${source}/${rendition}.webp`, body, body.length, { 'Content-Type': 'image/webp' });
        }
      }),
    ),
  );
  log(`P4: ${options.sources * 2} renditions of ${options.sources} sources written in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const port = await freePort();
  const api = startSubject(
    'p4-api',
    process.execPath,
    tsxArgs('apps/api/main.ts'),
    {
      KAFKA_BROKERS: options.brokers.join(','),
      KAFKA_CLIENT_ID: 'bench-api',
      MINIO_ENDPOINT: options.minio.endpoint,
      MINIO_ACCESS_KEY: options.minio.accessKey,
      MINIO_SECRET_KEY: options.minio.secretKey,
      RESULTS_TOPIC: resultsTopic,
      UPLOADS_BUCKET: buckets.uploads,
      PROCESSED_BUCKET: buckets.processed,
      OPS_PORT: String(port),
      OPS_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    options.logDir,
  );
  const base = `http://127.0.0.1:${port}`;
  const p99: number[] = [];
  const p50: number[] = [];
  const achieved: number[] = [];
  const errors: number[] = [];
  const visibleMs: number[] = [];
  try {
    await waitUntil('p4 api ready', async () => (await fetch(`${base}/readyz`)).ok, { attempts: 240, intervalMs: 250, alive: () => api.child.exitCode === null });
    // A warm-up request, as a replica gets from its readiness probe and first users: the first listing is paid once.
    await fetch(`${base}/images?limit=${options.limit}`);
    for (let round = 0; round < options.rounds; round++) {
      const result = await whileAlive(api, load(`${base}/images?limit=${options.limit}`, options.requestsPerSecond, options.seconds));
      p99.push(result.latency.p99);
      p50.push(result.latency.p50);
      achieved.push(result.requests.total / result.duration);
      errors.push(result.non2xx + result.errors);
      log(
        `P4 round ${round + 1}: ${result.requests.total} requests, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
          `max ${result.latency.max} ms, ${result.non2xx + result.errors} errors`,
      );
      // Freshness: a new rendition, then the UI's poll for its source once a second until it is listed.
      const source = `2026-12-31/fresh-${round}`;
      await client.putObject(buckets.processed, `${source}/thumb.webp`, body, body.length);
      const written = Date.now();
      for (;;) {
        const page = (await (await fetch(`${base}/images?prefix=${encodeURIComponent(`${source}/`)}`)).json()) as { images: unknown[] };
        if (page.images.length > 0) break;
        if (Date.now() - written > 30_000) throw new Error(`P4: ${source} not listed after 30 s`);
        await sleep(1_000);
      }
      visibleMs.push(Date.now() - written);
    }
  } finally {
    await api.stop('SIGTERM', 10_000);
  }
  const rate = options.requestsPerSecond;
  const p99Median = median(p99);
  return {
    id: 'P4',
    title: 'GET /images under steady load',
    setup:
      `${options.sources} sources (${options.sources * 2} renditions) in processed; ${rate} requests/s for ${options.seconds} s, ` +
      `${options.limit} images (${options.limit * 2} signed URLs) per page; ${options.rounds} rounds`,
    measurements: [
      { metric: 'p99 latency', unit: 'ms', better: 'lower', results: [{ subject: 'api /images', samples: p99, median: p99Median }] },
      { metric: 'p50 latency', unit: 'ms', better: 'lower', results: [{ subject: 'api /images', samples: p50, median: median(p50) }] },
      { metric: 'rate reached', unit: 'req/s', better: 'higher', results: [{ subject: 'api /images', samples: achieved, median: median(achieved) }] },
      {
        metric: 'new rendition listed after',
        unit: 'ms',
        better: 'lower',
        results: [{ subject: 'api /images', samples: visibleMs, median: median(visibleMs), note: 'polled once a second, as the UI does' }],
      },
    ],
    targets: [
      {
        description: `p99 ≤ ${options.p99TargetMs} ms at ${rate} requests/s`,
        met: p99.every((v) => v <= options.p99TargetMs) && errors.every((e) => e === 0) && achieved.every((a) => a >= rate * 0.9),
        detail: `p99 ${p99.join(' / ')} ms, ${errors.reduce((a, b) => a + b, 0)} errors, ${achieved.map((a) => a.toFixed(1)).join(' / ')} req/s`,
      },
    ],
    notes: [
      'Pages are cut from an in-memory listing of processed that a request refreshes in the background once it is 2 s old ' +
        '(IMAGES_MAX_AGE_MS), so only the first request of a replica waits for MinIO.',
    ],
  };
}
