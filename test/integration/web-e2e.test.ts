// The web UI in Debian's Chromium against the real API, Kafka, MinIO and processor: live sensor averages,
// an upload through the form straight to MinIO, its thumbnail once processed, and visible error states.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi, type RunningApi } from '../../apps/api/api';
import { readApiConfig } from '../../apps/api/config';
import { createLogger } from '../../apps/lib/log';
import { createMinio } from '../../apps/lib/minio';
import { ensureBucketNotification, ensureBuckets } from '../../apps/lib/setup';
import { freePort } from '../../testbed/ports';
import { supervise, tail, waitUntil, type Supervised } from '../../testbed/process';

const repoRoot = resolve(__dirname, '..', '..');
const outDir = join(repoRoot, 'test-output', 'web-e2e');
const chromiumPath = '/usr/bin/chromium';
const hasProcessor = existsSync(join(repoRoot, 'apps', 'processor', 'main.ts'));
const brokers = inject('kafkaBrokers');
const minioBed = inject('minio');
const suffix = randomUUID().slice(0, 8);
const names = {
  results: `results-${suffix}`,
  dlq: `minio-events.dlq-${suffix}`,
  uploads: `uploads-${suffix}`,
  processed: `processed-${suffix}`,
  processorGroup: `processor-${suffix}`,
  anomalies: `anomalies-${suffix}`,
  lake: `lake-${suffix}`,
};
const maxUploadBytes = 2 * 1024 * 1024;

const kafka = new Kafka({ clientId: 'web-e2e-test', brokers, logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;
let api: RunningApi;
let browser: Browser;
let page: Page;
let webUrl: string;
/** Source key of the image uploaded through the form, read from its card. */
let uploadedSource: string | undefined;
const children: Supervised[] = [];
const pageErrors: string[] = [];

/** Starts an app's main.ts as its own process and waits for its /readyz. */
async function startApp(app: 'web' | 'processor', env: NodeJS.ProcessEnv): Promise<string> {
  const port = await freePort();
  const child = supervise(process.execPath, ['--import', 'tsx', `apps/${app}/main.ts`], {
    cwd: repoRoot,
    logFile: join(outDir, `${app}.log`),
    env: { ...process.env, ...env, OPS_PORT: String(port), OPS_HOST: '127.0.0.1', LOG_LEVEL: 'debug' },
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(`${app} ready`, async () => (await fetch(`${url}/readyz`)).ok, {
    attempts: 240,
    intervalMs: 250,
    alive: () => child.child.exitCode === null,
  }).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${tail(child.logFile)}`);
  });
  return url;
}

async function produceResult(sensor: string, avg: number, windowEnd: number): Promise<void> {
  await producer.send({ topic: names.results, messages: [{ key: sensor, value: JSON.stringify({ sensor, avg, count: 20, windowEnd }) }] });
}

/** A daily report in the lake, written by DuckDB as the report job writes it. */
async function writeReport(minio: ReturnType<typeof createMinio>): Promise<void> {
  await ensureBuckets(minio, [names.lake]);
  const file = join(outDir, 'sensor-daily.parquet');
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  await db.run(
    `COPY (SELECT * FROM (VALUES ('A', DATE '2026-12-01', 8640::BIGINT, 24.5::DOUBLE, 11.25::DOUBLE, 38.5::DOUBLE, 24.25::DOUBLE, 33.75::DOUBLE, 3::BIGINT),
                                 ('B', DATE '2026-12-01', 8640::BIGINT, 19.0::DOUBLE, 9.5::DOUBLE, 30.0::DOUBLE, 19.0::DOUBLE, 27.5::DOUBLE, 0::BIGINT))
           AS t(sensor, date, readings, mean, min, max, p50, p95, anomalies)) TO '${file}' (FORMAT parquet)`,
  );
  db.closeSync();
  await minio.fPutObject(names.lake, 'reports/sensor-daily/date=2026-12-01/sensor-daily.parquet', file);
}

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  const webRoot = join(outDir, 'dist');
  await build({ configFile: join(repoRoot, 'apps', 'web', 'vite.config.ts'), logLevel: 'warn', build: { outDir: webRoot, emptyOutDir: true } });

  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: names.results, numPartitions: 1 }, { topic: names.dlq, numPartitions: 1 }, { topic: names.anomalies, numPartitions: 1 }],
  });

  const config = readApiConfig({
    KAFKA_BROKERS: brokers.join(','),
    MINIO_ENDPOINT: minioBed.endpoint,
    MINIO_ACCESS_KEY: minioBed.accessKey,
    MINIO_SECRET_KEY: minioBed.secretKey,
    RESULTS_TOPIC: names.results,
    UPLOADS_BUCKET: names.uploads,
    PROCESSED_BUCKET: names.processed,
    ANOMALIES_TOPIC: names.anomalies,
    LAKE_BUCKET: names.lake,
    MAX_UPLOAD_BYTES: String(maxUploadBytes),
    OPS_PORT: '0',
    OPS_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  const minio = createMinio(config);
  await ensureBuckets(minio, [names.uploads, names.processed]);
  await ensureBucketNotification(minio, names.uploads);
  await writeReport(minio);

  api = await startApi(config, createLogger('api', 'warn'));
  await waitUntil('api ready', async () => (await fetch(`${api.url}/readyz`)).ok, { attempts: 120, intervalMs: 250 });
  // The UI reaches the API the way it does in the cluster: under /api of its own origin, prefix stripped.
  webUrl = await startApp('web', { WEB_ROOT: webRoot, API_PROXY_TARGET: api.url });
  if (hasProcessor) {
    await startApp('processor', {
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_CLIENT_ID: 'web-e2e-processor',
      MINIO_ENDPOINT: minioBed.endpoint,
      MINIO_ACCESS_KEY: minioBed.accessKey,
      MINIO_SECRET_KEY: minioBed.secretKey,
      SOURCE_TOPIC: 'minio-events',
      DLQ_TOPIC: names.dlq,
      // The API lists what the processor announces here.
      RESULTS_TOPIC: names.results,
      PROCESSED_BUCKET: names.processed,
      UPLOADS_BUCKET: names.uploads,
      GROUP_ID: names.processorGroup,
    });
  }

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(webUrl);
}, 240_000);

afterAll(async () => {
  if (page) await page.screenshot({ path: join(outDir, 'page-final.png'), fullPage: true }).catch(() => undefined);
  await browser?.close();
  await Promise.all(children.map((c) => c.stop()));
  await api?.stop();
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
});

describe('web UI in a real browser', () => {
  it('shows the live sensor averages as they arrive over the event stream', async () => {
    await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('sensor-chart').textContent()).resolves.toContain('Waiting for the first averages');
    const now = Date.now();
    await produceResult('A', 20.5, now - 4_000);
    await produceResult('B', 17.25, now - 4_000);
    await produceResult('A', 21.75, now - 2_000);
    await produceResult('C', 24, now - 2_000);
    const legendA = page.locator('[data-testid=sensor-legend] li[data-sensor=A] .value');
    await expect.poll(() => legendA.textContent(), { timeout: 20_000 }).toBe('21.75');
    await expect.poll(() => page.locator('[data-testid=sensor-legend] li').count(), { timeout: 20_000 }).toBe(3);
    await expect(page.locator('[data-testid=sensor-legend] li[data-sensor=B] .value').textContent()).resolves.toBe('17.25');
    // Two windows of A make a line with two points.
    await expect(page.locator('path.series[data-sensor=A]').getAttribute('d')).resolves.toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
    await produceResult('B', 18.5, now);
    await expect.poll(() => page.locator('[data-testid=sensor-legend] li[data-sensor=B] .value').textContent(), { timeout: 20_000 }).toBe('18.50');
  });

  it('marks the anomalies the detector flagged on the chart, and shows the daily report of the lake', async () => {
    const now = Date.now();
    await produceResult('A', 20, now - 6_000);
    await produceResult('A', 22, now);
    const spike = { sensor: 'A', value: 95, ts: now - 3_000, score: 9, expected: 21, id: `spike-${suffix}` };
    await producer.send({ topic: names.anomalies, messages: [{ key: 'A', value: JSON.stringify(spike) }] });
    const marker = page.locator(`path.anomaly[data-anomaly="${spike.id}"]`);
    await marker.waitFor({ timeout: 20_000 });
    await expect(marker.getAttribute('data-sensor')).resolves.toBe('A');
    await page.getByTestId('report-status').filter({ hasText: '2026-12-01' }).waitFor({ timeout: 20_000 });
    const cells = (sensor: string) => page.locator(`[data-testid=report-table] tr[data-sensor=${sensor}] td`).allTextContents();
    await expect(cells('A')).resolves.toEqual(['A', '8640', '24.50', '11.25', '38.50', '24.25', '33.75', '3']);
    await expect(cells('B')).resolves.toEqual(['B', '8640', '19.00', '9.50', '30.00', '19.00', '27.50', '0']);
    await page.screenshot({ path: join(outDir, 'report-and-anomalies.png'), fullPage: true });
  });

  it('uploads an image through the form straight to MinIO and marks it as processing', async () => {
    const image = join(outDir, 'sunset.png');
    await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 240, g: 120, b: 40 } } })
      .composite([{ input: Buffer.from('<svg width="800" height="600"><circle cx="400" cy="380" r="160" fill="#ffd166"/><rect y="420" width="800" height="180" fill="#1d3557"/></svg>') }])
      .png()
      .toFile(image);
    await page.setInputFiles('#upload-file', image);
    await page.click('#upload-button');
    const status = page.getByTestId('upload-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    await expect(status.textContent()).resolves.toContain('Uploaded sunset.png');
    // The fresh upload comes first, marked as processing, until its renditions exist.
    const card = page.locator('[data-testid=image-grid] figure').first();
    await expect(card.locator('figcaption').textContent()).resolves.toBe('sunset');
    uploadedSource = (await card.getAttribute('data-source')) ?? undefined;
    expect(uploadedSource).toMatch(/^\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}-sunset$/);
    const minio = createMinio(readApiConfig({ KAFKA_BROKERS: brokers.join(','), MINIO_ENDPOINT: minioBed.endpoint, MINIO_ACCESS_KEY: minioBed.accessKey, MINIO_SECRET_KEY: minioBed.secretKey }));
    const uploaded: string[] = [];
    for await (const item of minio.listObjectsV2(names.uploads, '', true) as AsyncIterable<{ name?: string }>) if (item.name) uploaded.push(item.name);
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]).toMatch(/-sunset\.png$/);
  });

  it.skipIf(!hasProcessor)('shows the thumbnail once the processor has made it (apps/processor/main.ts as a child process)', async () => {
    // The shared minio-events topic also carries other tests' uploads, which this processor renders into the
    // same bucket; so the test looks for the card of its own upload.
    expect(uploadedSource).toBeDefined();
    const thumbnail = page.locator(`[data-testid=image-grid] figure[data-source="${uploadedSource}"] img[data-testid=thumbnail]`);
    await thumbnail.waitFor({ timeout: 90_000 });
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBe(320);
    await expect(thumbnail.getAttribute('alt')).resolves.toBe('sunset');
    await expect(page.getByTestId('images-status').textContent()).resolves.toMatch(/^\d+ images?$/);
    await expect(page.locator('[data-testid=image-grid] .card-pending').count()).resolves.toBe(0);
  });

  it('shows clear errors for a file that is not an image and for one the API refuses', async () => {
    const status = page.getByTestId('upload-status');
    await page.screenshot({ path: join(outDir, 'page.png'), fullPage: true });
    await page.setInputFiles('#upload-file', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.click('#upload-button');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('notes.txt is not a JPEG, PNG, WebP, AVIF or GIF image.');
    await expect(status.getAttribute('data-state')).resolves.toBe('error');

    await page.setInputFiles('#upload-file', { name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(maxUploadBytes + 1) });
    await page.click('#upload-button');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Upload failed: size must be at most 2 MiB (2097152 bytes)');
    expect(pageErrors).toEqual([]);
  });
});
