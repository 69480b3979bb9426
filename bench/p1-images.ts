// P1: the image pipeline against its physical limit — the bare sharp cost of the same renditions on the same cores (the
// ceiling), wolke's processor and the classic Python resize consumer, on the same Kafka, MinIO and images.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Client as MinioClient } from 'minio';
import { minioClientOptions } from '../apps/lib/minio';
import { ensureBucketNotification, ensureBuckets } from '../apps/lib/setup';
import { generateImages } from './images';
import { notificationTimes } from './notification-delay';
import type { BenchmarkResult, SubjectSamples } from './result';
import { interleave, median, percentile, ratePerSecond, speedup } from './stats';
import {
  type Context,
  type ImagePipelineOptions,
  type Row,
  type Subject,
  dlqTopic,
  endOffsetSum,
  freshGroup,
  processedBucket,
  renditions,
  startProcessor,
  stemOf,
  upload,
  uploadsBucket,
  waitForRenditions,
} from './p1-context';
import { measureCeiling } from './p1-ceiling';
import type { CeilingReport } from './sharp-ceiling';

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
  /** From the scheduled upload time until the upload's notification was in Kafka (MinIO's part). */
  notified: number[];
  /** From the notification in Kafka until the last rendition landed (the subject's part). */
  afterEvent: number[];
  unfinished: number;
}

/** Latency at a fixed upload rate: a running subject, uploads paced by the clock, latency from the scheduled time. */
async function measureLatency(ctx: Context, subject: Subject, round: number, uploadsPerSecond: number): Promise<LatencyRun> {
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

    const count = Math.max(options.minLatencyUploads, Math.round(uploadsPerSecond * options.uploadSeconds));
    const intervalMs = 1000 / uploadsPerSecond;
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
    const keys = new Map([...scheduled].map(([stem, at]) => [`${stem}.jpg`, at]));
    const events = await notificationTimes(options.brokers, options.sourceTopic, new Set(keys.keys()));
    const notified = [...events].map(([key, at]) => at - keys.get(key)!);
    const afterEvent = [...events].filter(([key]) => done.has(stemOf(key))).map(([key, at]) => done.get(stemOf(key))! - at);
    return { latencies, notified, afterEvent, unfinished: scheduled.size - [...scheduled.keys()].filter((s) => done.has(s)).length };
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
    const imagesDir = join(options.logDir, 'p1-images');
    mkdirSync(imagesDir, { recursive: true });
    for (const image of images) writeFileSync(join(imagesDir, image.name), image.body);
    const ctx: Context = { options, admin, minio, runPrefix, images };
    const subjects: Subject[] = ['wolke', 'python'];
    const rows: Row[] = ['ceiling', ...subjects];
    const throughput = new Map<Row, number[]>(rows.map((s) => [s, []]));
    const p50 = new Map<Row, number[]>(rows.map((s) => [s, []]));
    const p99 = new Map<Row, number[]>(rows.map((s) => [s, []]));
    const service: number[] = [];
    const notifiedP50 = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
    const afterEventP99 = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
    let efforts: CeilingReport['efforts'] = [];
    const unfinished = new Map<Subject, number>(subjects.map((s) => [s, 0]));
    const partial = new Map<Subject, number>(subjects.map((s) => [s, 0]));

    for (const [row, round] of interleave(rows, options.rounds)) {
      if (row === 'ceiling') {
        const report = await measureCeiling(ctx, imagesDir, round === 0 ? options.efforts : []);
        throughput.get('ceiling')!.push(report.imagesPerSecond);
        service.push(report.serviceMs);
        if (round === 0) efforts = report.efforts;
        progress(`P1 ceiling round ${round + 1}: ${report.imagesPerSecond.toFixed(2)} images/s, one image alone ${report.serviceMs.toFixed(0)} ms`);
        continue;
      }
      const run = await measureThroughput(ctx, row, round);
      throughput.get(row)!.push(run.rate);
      if (run.done < options.throughputImages) partial.set(row, partial.get(row)! + 1);
      progress(
        `P1 ${row} round ${round + 1}: ${run.rate.toFixed(2)} images/s` +
          (run.done < options.throughputImages ? ` (over ${run.done} of ${options.throughputImages} done by the deadline)` : ''),
      );
    }
    // Each subject's latency at the same share of its own capacity, as measured above.
    const latencyRate = new Map<Subject, number>(subjects.map((s) => [s, options.loadShare * median(throughput.get(s)!)]));
    for (const [subject, round] of interleave(subjects, options.rounds)) {
      const run = await measureLatency(ctx, subject, round, latencyRate.get(subject)!);
      p50.get(subject)!.push(percentile(run.latencies, 50));
      p99.get(subject)!.push(percentile(run.latencies, 99));
      if (run.notified.length > 0) notifiedP50.get(subject)!.push(percentile(run.notified, 50));
      if (run.afterEvent.length > 0) afterEventP99.get(subject)!.push(percentile(run.afterEvent, 99));
      unfinished.set(subject, unfinished.get(subject)! + run.unfinished);
      progress(
        `P1 ${subject} round ${round + 1} at ${latencyRate.get(subject)!.toFixed(2)} uploads/s: p50 ${percentile(run.latencies, 50).toFixed(0)} ms, ` +
          `p99 ${percentile(run.latencies, 99).toFixed(0)} ms; notification in Kafka after p50 ` +
          `${run.notified.length > 0 ? percentile(run.notified, 50).toFixed(0) : '?'} ms, from there to the renditions p99 ` +
          `${run.afterEvent.length > 0 ? percentile(run.afterEvent, 99).toFixed(0) : '?'} ms` +
          (run.unfinished > 0 ? ` (${run.unfinished} unfinished after the ${options.drainSeconds} s drain)` : ''),
      );
    }
    for (const e of efforts) {
      progress(`P1 effort ${e.effort}: ${e.msPerImage.toFixed(0)} ms and ${(e.bytesPerImage / 1024).toFixed(1)} KiB per image (all renditions)`);
    }

    const names: Record<Row, string> = {
      ceiling: 'ceiling: bare sharp, same renditions and cores',
      wolke: 'wolke processor',
      python: 'Python peer (kafka-python + Pillow)',
    };
    const samples = (map: Map<Row, number[]>, row: Row, note?: string): SubjectSamples => {
      const values = map.get(row)!;
      return { subject: names[row], samples: values, median: median(values), ...(note === undefined ? {} : { note }) };
    };
    const censored = (subject: Subject): string | undefined =>
      unfinished.get(subject)! > 0 ? `lower bound: ${unfinished.get(subject)} uploads unfinished at the deadline` : undefined;
    const partialNote = (subject: Subject): string | undefined =>
      partial.get(subject)! > 0 ? `${partial.get(subject)} round(s) hit the ${options.throughputDeadlineSeconds} s deadline; rate over the uploads done` : undefined;
    const atRate = (subject: Subject): string => `at ${latencyRate.get(subject)!.toFixed(2)} uploads/s`;
    const ceilingRate = median(throughput.get('ceiling')!);
    const wolkeRate = median(throughput.get('wolke')!);
    const peerRate = median(throughput.get('python')!);
    const serviceMs = median(service);
    const wolkeP99 = median(p99.get('wolke')!);
    const share = wolkeRate / ceilingRate;
    const factor = speedup(wolkeRate, peerRate, 'higher');
    const encoders = renditions.map((r) => `${r.name} ${r.size}px ${r.format} q${r.quality ?? '-'} effort ${r.effort ?? '-'}`).join(', ');
    return {
      id: 'P1',
      title: 'Image pipeline against its ceiling: upload → Kafka → renditions',
      setup:
        `${options.width}×${options.height} JPEGs (~${Math.round(images.reduce((s, i) => s + i.body.length, 0) / images.length / 1024)} KiB, generated with sharp), ` +
        `renditions ${encoders} (the Python peer encodes with the same quality and effort, Pillow's method); ` +
        `throughput over ${options.throughputImages} queued uploads, ${options.concurrency} at once (the ceiling renders the same in one process without Kafka or MinIO); ` +
        `latency at ${Math.round(options.loadShare * 100)} % of each subject's measured images/s for ${options.uploadSeconds} s ` +
        `(from the scheduled upload time until the last rendition lands, waited for at most ${options.drainSeconds} s after the last upload); ` +
        `${options.rounds} interleaved rounds, medians`,
      measurements: [
        { metric: 'throughput', unit: 'images/s', better: 'higher', results: rows.map((r) => samples(throughput, r, r === 'ceiling' ? undefined : partialNote(r))) },
        {
          metric: 'one image alone',
          unit: 'ms',
          better: 'lower',
          results: [{ subject: names.ceiling, samples: service, median: serviceMs, note: 'service time: decode once, resize and encode every rendition' }],
        },
        { metric: 'latency p50', unit: 'ms', better: 'lower', results: subjects.map((s) => samples(p50, s, [atRate(s), censored(s)].filter(Boolean).join('; '))) },
        { metric: 'latency p99', unit: 'ms', better: 'lower', results: subjects.map((s) => samples(p99, s, [atRate(s), censored(s)].filter(Boolean).join('; '))) },
        {
          metric: 'upload → event in Kafka p50',
          unit: 'ms',
          better: 'lower',
          results: subjects
            .filter((s) => notifiedP50.get(s)!.length > 0)
            .map((s) => ({ ...samples(notifiedP50 as Map<Row, number[]>, s), note: `MinIO's part of the latency rows, ${atRate(s)}` })),
        },
        {
          metric: 'event in Kafka → renditions p99',
          unit: 'ms',
          better: 'lower',
          results: subjects
            .filter((s) => afterEventP99.get(s)!.length > 0)
            .map((s) => ({ ...samples(afterEventP99 as Map<Row, number[]>, s), note: `the subject's part of the latency rows, ${atRate(s)}` })),
        },
        ...(efforts.length === 0
          ? []
          : [
              {
                metric: 'encode time by effort',
                unit: 'ms/image',
                better: 'lower' as const,
                results: efforts.map((e) => ({ subject: `effort ${e.effort}`, samples: [e.msPerImage], median: e.msPerImage })),
              },
              {
                metric: 'bytes by effort',
                unit: 'KiB/image',
                better: 'lower' as const,
                results: efforts.map((e) => ({ subject: `effort ${e.effort}`, samples: [e.bytesPerImage / 1024], median: e.bytesPerImage / 1024 })),
              },
            ]),
      ],
      targets: [
        {
          description: 'throughput ≥ 90 % of the ceiling',
          met: share >= 0.9,
          detail: `${(share * 100).toFixed(0)} % (${wolkeRate.toFixed(2)} vs ${ceilingRate.toFixed(2)} images/s)`,
        },
        {
          description: 'throughput ≥ 1.8× the Python peer, same encoder settings',
          met: factor >= 1.8,
          detail: `${factor.toFixed(2)}× (${wolkeRate.toFixed(2)} vs ${peerRate.toFixed(2)} images/s)`,
        },
        {
          description: `p99 at ${Math.round(options.loadShare * 100)} % of capacity ≤ 3× one image's service time`,
          met: wolkeP99 <= 3 * serviceMs && unfinished.get('wolke') === 0,
          detail:
            `p99 ${wolkeP99.toFixed(0)} ms ${atRate('wolke')} vs 3 × ${serviceMs.toFixed(0)} ms = ${(3 * serviceMs).toFixed(0)} ms` +
            (afterEventP99.get('wolke')!.length > 0 ? `; from the event in Kafka: p99 ${median(afterEventP99.get('wolke')!).toFixed(0)} ms` : '') +
            (unfinished.get('wolke')! > 0 ? ` (lower bound; ${unfinished.get('wolke')} unfinished)` : ''),
        },
      ],
      notes: [
        'The ceiling is the processor\'s own sharp step (bench/sharp-ceiling.ts) on the same images in one process, as many at once as the processor: what is left for Kafka, MinIO and the consumer loop is the gap to it.',
        "MinIO publishes bucket notifications through its persistent event queue (queue_dir, as deployed), which it sends on a timer: the 'upload → event in Kafka' row is that wait, the same for every subject.",
        'The effort rows encode every rendition of the 8 images one at a time at each WebP effort (quality as in the model): time and bytes per image, for choosing the default.',
      ],
    };
  } finally {
    await admin.disconnect();
  }
}
