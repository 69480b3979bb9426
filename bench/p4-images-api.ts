// P4: GET /images of the API under a steady 50 requests/s, against a processed bucket of many renditions while the
// processor announces new ones; the same load on /healthz as the floor of the machine and load generator; and how soon
// an announced rendition is listed.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Result } from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import { Client as MinioClient } from 'minio';
import pLimit from 'p-limit';
import { minioClientOptions } from '../apps/lib/minio';
import { announcementMessage } from '../contracts/renditions-announcement';
import { ensureBuckets } from '../apps/lib/setup';
import { freePort } from '../testbed/ports';
import { waitUntil } from '../testbed/process';
import type { MinioTestbed } from '../testbed/minio';
import { seriesValue } from './prometheus-text';
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
  /** Renditions the processor announces per second while the load runs (each invalidates the cached pages). */
  announcementsPerSecond: number;
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
  const kafka = new Kafka({ clientId: 'wolke-bench', brokers: options.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: resultsTopic, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();

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

  /** Writes one source's thumb and announces it on `results`, as the processor does. */
  const renderAndAnnounce = async (source: string): Promise<void> => {
    const key = `${source}/thumb.webp`;
    await client.putObject(buckets.processed, key, body, body.length, { 'Content-Type': 'image/webp' });
    const announcement = { source: `${source}.jpg`, bucket: buckets.processed, renditions: [{ key, size: body.length, lastModified: new Date().toISOString() }] };
    await producer.send({ topic: resultsTopic, messages: [announcementMessage(announcement)] });
  };

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
  const metrics = async (): Promise<string> => (await fetch(`${base}/metrics`)).text();
  const slowAnswers = (exposition: string): number =>
    (seriesValue(exposition, 'api_http_request_duration_seconds_bucket', { route: '/images', le: '+Inf' }) ?? 0) -
    (seriesValue(exposition, 'api_http_request_duration_seconds_bucket', { route: '/images', le: '0.1' }) ?? 0);
  const p99: number[] = [];
  const p50: number[] = [];
  const floorP99: number[] = [];
  const achieved: number[] = [];
  const errors: number[] = [];
  const loopLagMs: number[] = [];
  const slowServer: number[] = [];
  const visibleMs: number[] = [];
  let announced = 0;
  try {
    await waitUntil('p4 api ready', async () => (await fetch(`${base}/readyz`)).ok, { attempts: 240, intervalMs: 250, alive: () => api.child.exitCode === null });
    // A warm-up request, as a replica gets from its readiness probe and first users: the first listing is paid once.
    await fetch(`${base}/images?limit=${options.limit}`);
    for (let round = 0; round < options.rounds; round++) {
      const floor = await whileAlive(api, load(`${base}/healthz`, options.requestsPerSecond, options.seconds));
      floorP99.push(floor.latency.p99);

      // Reading /metrics resets the event-loop delay histogram, so the next read covers the load alone.
      const before = await metrics();
      let announcing = true;
      const announcer = (async () => {
        for (let i = 0; announcing; i++) {
          await renderAndAnnounce(`2026-12-30/r${round}-${String(i).padStart(5, '0')}-new`);
          announced += 1;
          await sleep(1000 / options.announcementsPerSecond);
        }
      })();
      const result = await whileAlive(api, load(`${base}/images?limit=${options.limit}`, options.requestsPerSecond, options.seconds)).finally(() => {
        announcing = false;
      });
      await announcer;
      const after = await metrics();
      p99.push(result.latency.p99);
      p50.push(result.latency.p50);
      achieved.push(result.requests.total / result.duration);
      errors.push(result.non2xx + result.errors);
      loopLagMs.push((seriesValue(after, 'nodejs_eventloop_lag_p99_seconds', {}) ?? Number.NaN) * 1000);
      slowServer.push(slowAnswers(after) - slowAnswers(before));
      log(
        `P4 round ${round + 1}: ${result.requests.total} requests, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
          `max ${result.latency.max} ms, ${result.non2xx + result.errors} errors; /healthz p99 ${floor.latency.p99} ms; ` +
          `API event loop delay p99 ${loopLagMs.at(-1)!.toFixed(1)} ms, ${slowServer.at(-1)} answers took the API over 100 ms`,
      );
      // Freshness: a new rendition is announced, then polled for (every 20 ms) until it is listed.
      const source = `2026-12-31/fresh-${round}`;
      await renderAndAnnounce(source);
      const sent = Date.now();
      for (;;) {
        const page = (await (await fetch(`${base}/images?prefix=${encodeURIComponent(`${source}/`)}`)).json()) as { images: unknown[] };
        if (page.images.length > 0) break;
        if (Date.now() - sent > 30_000) throw new Error(`P4: ${source} not listed 30 s after its announcement`);
        await sleep(20);
      }
      visibleMs.push(Date.now() - sent);
    }
  } finally {
    await producer.disconnect();
    await api.stop('SIGTERM', 10_000);
  }
  const rate = options.requestsPerSecond;
  const p99Median = median(p99);
  return {
    id: 'P4',
    title: 'GET /images under steady load',
    setup:
      `${options.sources} sources (${options.sources * 2} renditions) in processed; ${rate} requests/s for ${options.seconds} s, ` +
      `${options.limit} images (${options.limit * 2} signed URLs) per page, while ${options.announcementsPerSecond} new renditions/s are ` +
      `written and announced on results; the same load on /healthz first, as the floor; ${options.rounds} rounds`,
    measurements: [
      {
        metric: 'p99 latency',
        unit: 'ms',
        better: 'lower',
        results: [
          { subject: 'api /images', samples: p99, median: p99Median },
          { subject: 'api /healthz (floor)', samples: floorP99, median: median(floorP99), note: 'the machine and load generator, no work' },
        ],
      },
      { metric: 'p50 latency', unit: 'ms', better: 'lower', results: [{ subject: 'api /images', samples: p50, median: median(p50) }] },
      { metric: 'rate reached', unit: 'req/s', better: 'higher', results: [{ subject: 'api /images', samples: achieved, median: median(achieved) }] },
      {
        metric: 'event loop delay p99',
        unit: 'ms',
        better: 'lower',
        results: [{ subject: 'api /images', samples: loopLagMs, median: median(loopLagMs), note: 'inside the API during the /images load' }],
      },
      {
        metric: 'new rendition listed after',
        unit: 'ms',
        better: 'lower',
        results: [{ subject: 'api /images', samples: visibleMs, median: median(visibleMs), note: 'from its announcement, polled every 20 ms' }],
      },
    ],
    targets: [
      {
        description: `p99 ≤ ${options.p99TargetMs} ms at ${rate} requests/s`,
        met: p99.every((v) => v <= options.p99TargetMs) && errors.every((e) => e === 0) && achieved.every((a) => a >= rate * 0.9),
        detail:
          `p99 ${p99.join(' / ')} ms (floor ${floorP99.join(' / ')} ms), ${errors.reduce((a, b) => a + b, 0)} errors, ` +
          `${achieved.map((a) => a.toFixed(1)).join(' / ')} req/s; ${slowServer.reduce((a, b) => a + b, 0)} answers over 100 ms inside the API`,
      },
    ],
    notes: [
      'Pages are cut from an in-memory index of processed: listed in full at start (and every IMAGES_REPAIR_INTERVAL_MS, 5 min, ' +
        `as a repair), kept fresh by the announcements on results (${announced} during the loads). No request waited for MinIO.`,
      'The /healthz row is the same load on a route that does nothing: what the shared machine and the load generator add to every request.',
    ],
  };
}
