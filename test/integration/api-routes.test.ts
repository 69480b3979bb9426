// The API against the real Kafka and MinIO of the test bed: averages from `results` (also replayed from before
// start), the live event stream, presigned uploads, image pages with working URLs kept fresh by the renditions announced
// on `results` and repaired by a full listing, and 4xx for bad input.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { Client } from 'minio';
import type { LoadSummary } from '../../apps/loadgen/summary';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi, type RunningApi } from '../../apps/api/api';
import { readApiConfig } from '../../apps/api/config';
import { createLogger } from '../../apps/lib/log';
import { createMinio } from '../../apps/lib/minio';
import { announcementMessage } from '../../contracts/renditions-announcement';
import { ensureBuckets } from '../../apps/lib/setup';
import { waitUntil } from '../../testbed/process';

const brokers = inject('kafkaBrokers');
const minioBed = inject('minio');
const suffix = randomUUID().slice(0, 8);
const names = { results: `results-${suffix}`, uploads: `uploads-${suffix}`, processed: `processed-${suffix}` };
// Another host name for the same MinIO: shows that presigned URLs are signed for the public endpoint.
const publicEndpoint = minioBed.endpoint.replace('127.0.0.1', 'localhost');

const kafka = new Kafka({ clientId: 'api-test', brokers, logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;
let minio: Client;
let api: RunningApi;

async function produceResult(value: unknown): Promise<void> {
  const sensor = typeof value === 'object' && value !== null && 'sensor' in value ? String(value.sensor) : 'garbage';
  await producer.send({ topic: names.results, messages: [{ key: sensor, value: typeof value === 'string' ? value : JSON.stringify(value) }] });
}

/** Writes renditions of `source` into processed and announces them on `results`, as the processor does. */
async function renderAndAnnounce(source: string, renditions: Record<string, Buffer>, bucket = names.processed): Promise<void> {
  const written = [];
  for (const [name, bytes] of Object.entries(renditions)) {
    const key = `${source}/${name}.webp`;
    await minio.putObject(bucket, key, bytes, bytes.length, { 'Content-Type': 'image/webp' });
    written.push({ key, size: bytes.length, lastModified: new Date().toISOString() });
  }
  await producer.send({ topic: names.results, messages: [announcementMessage({ source: `${source}.jpg`, bucket, renditions: written })] });
}

/** The sources `GET /images?prefix=` lists. */
async function listedSources(url: string, prefix: string): Promise<string[]> {
  const response = await fetch(`${url}/images?limit=100${prefix === '' ? '' : `&prefix=${encodeURIComponent(prefix)}`}`);
  if (!response.ok) throw new Error(`GET /images answered ${response.status}: ${await response.text()}`);
  const page = (await response.json()) as { images: { source: string }[] };
  return page.images.map((i) => i.source);
}

function apiConfig(overrides: Record<string, string> = {}) {
  return readApiConfig({
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_CLIENT_ID: 'api-test',
    MINIO_ENDPOINT: minioBed.endpoint,
    MINIO_PUBLIC_ENDPOINT: publicEndpoint,
    MINIO_ACCESS_KEY: minioBed.accessKey,
    MINIO_SECRET_KEY: minioBed.secretKey,
    RESULTS_TOPIC: names.results,
    UPLOADS_BUCKET: names.uploads,
    PROCESSED_BUCKET: names.processed,
    MAX_UPLOAD_BYTES: String(1024 * 1024),
    OPS_PORT: '0',
    OPS_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
}

beforeAll(async () => {
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: names.results, numPartitions: 2 }] });
  const config = apiConfig();
  minio = createMinio(config);
  await ensureBuckets(minio, [names.uploads, names.processed]);
  // Written before the API starts: a new replica must still show it (it replays the recent tail).
  await produceResult({ sensor: 'early', avg: 11.5, count: 20, windowEnd: 1_000 });
  api = await startApi(config, createLogger('api', 'warn'));
  await waitUntil('api ready', async () => (await fetch(`${api.url}/readyz`)).ok, { attempts: 120, intervalMs: 250 });
});

afterAll(async () => {
  await api?.stop();
  await Promise.all([admin?.disconnect(), producer?.disconnect()]);
});

async function sensors(): Promise<Record<string, { avg: number; count: number; windowEnd: number }>> {
  const body = (await (await fetch(`${api.url}/sensors`)).json()) as { sensors: { sensor: string; avg: number; count: number; windowEnd: number }[] };
  return Object.fromEntries(body.sensors.map(({ sensor, ...rest }) => [sensor, rest]));
}

describe('sensor averages', () => {
  it('shows results from before and after start, newest window per sensor, skipping invalid messages', async () => {
    await produceResult('{"not":"a result"}');
    await produceResult({ sensor: 'A', avg: 20, count: 20, windowEnd: 2_000 });
    await produceResult({ sensor: 'A', avg: 21.25, count: 20, windowEnd: 3_000 });
    await produceResult({ sensor: 'B', avg: -3.5, count: 20, windowEnd: 2_500 });
    await waitUntil('all averages visible', async () => (await sensors()).A?.avg === 21.25 && (await sensors()).B !== undefined, {
      attempts: 80,
      intervalMs: 250,
    });
    expect(await sensors()).toEqual({
      early: { avg: 11.5, count: 20, windowEnd: 1_000 },
      A: { avg: 21.25, count: 20, windowEnd: 3_000 },
      B: { avg: -3.5, count: 20, windowEnd: 2_500 },
    });
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/api_results_consumed_total\{outcome="invalid",app="api"\} 1/);
    expect(metrics).toMatch(/api_results_consumed_total\{outcome="applied",app="api"\} 4/);
  });

  it('streams a snapshot and then each new average as Server-Sent Events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${api.url}/sensors/stream`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      const deadline = Date.now() + 20_000;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`stream did not show ${pattern}; got:\n${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended; got:\n${text}`);
        text += value;
      }
    };
    try {
      await readUntil(/event: snapshot\ndata: .*\n\n/);
      const snapshot = JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(text)![1]!) as { sensor: string }[];
      expect(snapshot.map((s) => s.sensor)).toEqual(expect.arrayContaining(['A', 'B', 'early']));
      await produceResult({ sensor: 'C', avg: 42, count: 20, windowEnd: 4_000 });
      await readUntil(/event: average\ndata: \{"sensor":"C".*\n\n/);
      expect(JSON.parse(/event: average\ndata: (\{"sensor":"C".*)\n/.exec(text)![1]!)).toEqual({ sensor: 'C', avg: 42, count: 20, windowEnd: 4_000 });
    } finally {
      controller.abort();
    }
  });
});

describe('uploads', () => {
  it('hands out a presigned URL for the public endpoint that the client PUTs the file to', async () => {
    const bytes = randomBytes(4096);
    const response = await fetch(`${api.url}/images/upload-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'My Cat.PNG', contentType: 'image/png', size: bytes.length }),
    });
    expect(response.status).toBe(201);
    const ticket = (await response.json()) as { key: string; url: string; method: string; headers: Record<string, string> };
    expect(new URL(ticket.url).origin).toBe(new URL(publicEndpoint).origin);
    expect(ticket.key).toMatch(/^\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}-my-cat\.png$/);
    const put = await fetch(ticket.url, { method: ticket.method, headers: ticket.headers, body: bytes });
    expect(put.status).toBe(200);
    const stat = await minio.statObject(names.uploads, ticket.key);
    expect(stat.size).toBe(bytes.length);
    expect(stat.metaData['content-type']).toBe('image/png');
    // A URL signed for one key cannot write another.
    const elsewhere = ticket.url.replace(encodeURI(ticket.key), 'other.png');
    expect((await fetch(elsewhere, { method: 'PUT', headers: ticket.headers, body: bytes })).status).toBe(403);
  });

  it('lets a browser on another origin PUT (MinIO answers the CORS preflight)', async () => {
    const response = await fetch(`${api.url}/images/upload-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'a.jpg', contentType: 'image/jpeg', size: 10 }),
    });
    const ticket = (await response.json()) as { url: string };
    const preflight = await fetch(ticket.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/127\.0\.0\.1:5173)$/);
    expect(preflight.headers.get('access-control-allow-methods') ?? '').toMatch(/PUT/);
  });

  it.each([
    [{ filename: 'a.svg', contentType: 'image/svg+xml', size: 10 }, /contentType must be one of/],
    [{ filename: 'a.png', contentType: 'image/png', size: 2 * 1024 * 1024 }, /^size must be at most 1 MiB \(1048576 bytes\)$/],
    [{ filename: 'a.png', contentType: 'image/png' }, /size/],
  ])('refuses %o with 400', async (body, message) => {
    const response = await fetch(`${api.url}/images/upload-url`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it('refuses broken and oversized bodies with 4xx, never 5xx', async () => {
    const post = (body: string, type = 'application/json') => fetch(`${api.url}/images/upload-url`, { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post('{"filename":')).status).toBe(400);
    expect((await post(JSON.stringify({ filename: 'x'.repeat(40_000), contentType: 'image/png', size: 1 }))).status).toBe(413);
    expect((await post('filename=a', 'application/x-www-form-urlencoded')).status).toBe(415);
  });
});

/** Full listings of processed the API has made so far. */
async function indexListings(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const match = /^api_image_index_listings_total\{[^}]*result="done"[^}]*\} (\d+)$/m.exec(metrics);
  return Number(match?.[1] ?? 0);
}

describe('processed images', () => {
  const sources = ['2026-01-01/aaa-first', '2026-01-01/bbb-second', '2026-01-02/ccc-third'];
  const content = new Map<string, Buffer>();

  beforeAll(async () => {
    for (const source of sources) {
      const renditions: Record<string, Buffer> = {};
      for (const rendition of ['thumb', 'preview']) {
        renditions[rendition] = randomBytes(256);
        content.set(`${source}/${rendition}.webp`, renditions[rendition]);
      }
      await renderAndAnnounce(source, renditions);
    }
    // The API listed the empty bucket at start: what it shows now came from the announcements.
    await waitUntil('announced sources listed', async () => (await listedSources(api.url, '')).length === sources.length, { attempts: 100, intervalMs: 100 });
  });

  it('lists renditions grouped by source in pages, with presigned URLs that serve the bytes', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await fetch(`${api.url}/images?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as {
        images: { source: string; renditions: Record<string, { key: string; url: string; format: string; size: number }> }[];
        nextCursor?: string;
      };
      pages += 1;
      for (const image of page.images) {
        seen.push(image.source);
        expect(Object.keys(image.renditions).sort()).toEqual(['preview', 'thumb']);
        const thumb = image.renditions.thumb!;
        expect(thumb).toMatchObject({ key: `${image.source}/thumb.webp`, format: 'webp', size: 256 });
        expect(new URL(thumb.url).origin).toBe(new URL(publicEndpoint).origin);
        const fetched = await fetch(thumb.url);
        expect(fetched.status).toBe(200);
        expect(Buffer.from(await fetched.arrayBuffer()).equals(content.get(thumb.key)!)).toBe(true);
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(sources);
  });

  it('reuses signed URLs within a signing window, valid for most of URL_EXPIRY_SECONDS (300 s)', async () => {
    type Page = { images: { renditions: Record<string, { url: string }> }[]; expiresAt: string };
    const first = (await (await fetch(`${api.url}/images?limit=1`)).json()) as Page;
    const second = (await (await fetch(`${api.url}/images?limit=1`)).json()) as Page;
    const url = first.images[0]!.renditions.thumb!.url;
    // Unless the two requests straddle a window's end (a minute), the second gets the same signature.
    if (first.expiresAt === second.expiresAt) expect(second.images[0]!.renditions.thumb!.url).toBe(url);
    const left = Date.parse(first.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(235_000);
    expect(left).toBeLessThanOrEqual(300_000);
    const expires = Number(new URL(url).searchParams.get('X-Amz-Expires'));
    const signedAt = new URL(url).searchParams.get('X-Amz-Date')!;
    const signedMs = Date.parse(signedAt.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(signedMs + expires * 1000).toBe(Date.parse(first.expiresAt));
    expect((await fetch(url)).status).toBe(200);
  });

  it('lists an announced rendition within moments, without listing the bucket again', async () => {
    expect((await fetch(`${api.url}/images`)).status).toBe(200);
    const listingsBefore = await indexListings(api.url);
    await renderAndAnnounce('2026-01-03/ddd-later', { thumb: randomBytes(64) });
    const announced = Date.now();
    await waitUntil('the announced source listed', async () => (await listedSources(api.url, '2026-01-03/')).length === 1, { attempts: 200, intervalMs: 25 });
    expect(Date.now() - announced).toBeLessThan(2_000);
    expect(await listedSources(api.url, '2026-01-03/')).toEqual(['2026-01-03/ddd-later']);
    expect(await indexListings(api.url)).toBe(listingsBefore);
    // Renditions announced for another bucket are not this API's to show.
    await renderAndAnnounce('2026-01-04/eee-elsewhere', { thumb: randomBytes(64) }, names.uploads);
    await renderAndAnnounce('2026-01-04/fff-here', { thumb: randomBytes(64) });
    await waitUntil('the later announcement listed', async () => (await listedSources(api.url, '2026-01-04/')).length > 0, { attempts: 200, intervalMs: 25 });
    expect(await listedSources(api.url, '2026-01-04/')).toEqual(['2026-01-04/fff-here']);
    for (const key of ['2026-01-03/ddd-later/thumb.webp', '2026-01-04/fff-here/thumb.webp']) await minio.removeObject(names.processed, key);
    await minio.removeObject(names.uploads, '2026-01-04/eee-elsewhere/thumb.webp');
  });

  it('repairs its index with a full listing: a rendition never announced appears, a deleted one goes', async () => {
    const repairing = await startApi(apiConfig({ KAFKA_CLIENT_ID: 'api-test-repair', IMAGES_REPAIR_INTERVAL_MS: '500' }), createLogger('api', 'warn'));
    try {
      await waitUntil('repairing api ready', async () => (await fetch(`${repairing.url}/readyz`)).ok, { attempts: 120, intervalMs: 250 });
      // Its consumer replays the recent announcements, some of renditions since deleted: the next repair drops those.
      const same = async (expected: string[]) => JSON.stringify(await listedSources(repairing.url, '2026-01-0')) === JSON.stringify(expected);
      await waitUntil('the bucket listed', () => same(sources), { attempts: 40, intervalMs: 250 });
      // Written without an announcement (a lost one), and one announced rendition deleted.
      await minio.putObject(names.processed, '2026-01-05/ggg-unannounced/thumb.webp', randomBytes(64), 64, { 'Content-Type': 'image/webp' });
      await minio.removeObject(names.processed, `${sources[2]}/thumb.webp`);
      await minio.removeObject(names.processed, `${sources[2]}/preview.webp`);
      await waitUntil('the repair listed', () => same([sources[0]!, sources[1]!, '2026-01-05/ggg-unannounced']), { attempts: 40, intervalMs: 250 });
      expect(await indexListings(repairing.url)).toBeGreaterThanOrEqual(2);
    } finally {
      await repairing.stop();
      await minio.removeObject(names.processed, '2026-01-05/ggg-unannounced/thumb.webp');
      await renderAndAnnounce(sources[2]!, { thumb: content.get(`${sources[2]}/thumb.webp`)!, preview: content.get(`${sources[2]}/preview.webp`)! });
    }
  });

  it('filters by source prefix and rejects bad queries with 400', async () => {
    const page = (await (await fetch(`${api.url}/images?prefix=${encodeURIComponent('2026-01-02/')}`)).json()) as { images: { source: string }[] };
    expect(page.images.map((i) => i.source)).toEqual(['2026-01-02/ccc-third']);
    for (const query of ['limit=0', 'limit=abc', 'cursor=%%%', 'prefix=..%2Fx', 'unknown=1']) {
      const response = await fetch(`${api.url}/images?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error.length).toBeGreaterThan(5);
    }
  });
});

describe('refused by MinIO', () => {
  it('a wrong secret makes the API unready and says so once in its log; /images answers 503', async () => {
    const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    const record =
      (level: string) =>
      (msg: string, fields?: Record<string, unknown>) =>
        void lines.push({ level, msg, fields });
    const log = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), level: 'debug' as const };
    const logger = { ...log, child: () => logger };
    const wrongSecret = randomBytes(24).toString('base64url');
    const refused = await startApi(
      readApiConfig({
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_CLIENT_ID: 'api-test-refused',
        MINIO_ENDPOINT: minioBed.endpoint,
        MINIO_ACCESS_KEY: minioBed.accessKey,
        MINIO_SECRET_KEY: wrongSecret,
        RESULTS_TOPIC: names.results,
        UPLOADS_BUCKET: names.uploads,
        PROCESSED_BUCKET: names.processed,
        ACCESS_CHECK_INTERVAL_MS: '300',
        OPS_PORT: '0',
        OPS_HOST: '127.0.0.1',
      }),
      logger,
    );
    try {
      await waitUntil('a refusal in the log', async () => lines.some((l) => l.msg.startsWith('MinIO refuses this app')), { attempts: 80, intervalMs: 250 });
      // The results consumer is in its group (sensors work), yet the API is unready: a bad rollout stops here.
      await waitUntil('sensors served', async () => (await fetch(`${refused.url}/sensors`)).ok, { attempts: 80, intervalMs: 250 });
      expect((await fetch(`${refused.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${refused.url}/images`)).status).toBe(503);
      const refusals = lines.filter((l) => l.msg.startsWith('MinIO refuses this app'));
      expect(refusals).toHaveLength(1);
      // MinIO answers a wrong secret with SignatureDoesNotMatch where the reply has a body (a listing) and a bare 403,
      // which the client reads as AccessDenied, where it has none (a HEAD); which request comes first is a race.
      expect(refusals[0]).toMatchObject({ level: 'error', fields: { during: 'processed bucket' } });
      expect(['SignatureDoesNotMatch', 'AccessDenied']).toContain(refusals[0]!.fields!.code);
      expect(JSON.stringify(lines)).not.toContain(wrongSecret);
    } finally {
      await refused.stop();
    }
    // The API with the right secret is ready.
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  });
});

describe('load generator', () => {
  it('runs a bounded load against the API, stops by itself and reports what it saw', async () => {
    const started = Date.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'apps/loadgen/main.ts', '--url', `${api.url}/sensors`, '--rps', '20', '--duration', '3', '--max-error-rate', '0'],
      { cwd: resolve(__dirname, '..', '..'), timeout: 60_000 },
    );
    const summary = JSON.parse(stdout.split('\n')[0]!) as LoadSummary & { msg: string };
    expect(summary.msg).toBe('load summary');
    // autocannon paces per connection and second, so a 3 s run at 20/s sends 60 to 80 requests.
    expect(summary.requests).toBeGreaterThanOrEqual(50);
    expect(summary.requests).toBeLessThanOrEqual(100);
    expect(summary.non2xx + summary.failed).toBe(0);
    expect(summary.p99Ms).toBeGreaterThanOrEqual(summary.p50Ms);
    expect(stdout).toMatch(/latency: p50 \d+ ms, p99 \d+ ms/);
    expect(Date.now() - started).toBeLessThan(45_000);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    const served = Number(/api_http_requests_total\{method="GET",route="\/sensors",status="200",app="api"\} (\d+)/.exec(metrics)?.[1]);
    expect(served).toBeGreaterThanOrEqual(summary.requests);
  });
});
