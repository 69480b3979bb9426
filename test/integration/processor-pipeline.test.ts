// The image processor against real Kafka and MinIO: renditions, dead letters, a crash and a MinIO outage.
import { randomBytes } from 'node:crypto';
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTopics } from '../../apps/lib/setup';
import { renditionsAnnouncementSchema } from '../../contracts/renditions-announcement';
import { freePort } from '../../testbed/ports';
import { readTopicUntil } from '../../testbed/topic-reader';
import { ProcessorBed, type Scenario, noise, parseDeadLetters, solid, stem, waitFor } from '../support/processor-bed';

const brokers = inject('kafkaBrokers');
const renditions = [
  { name: 'thumb', size: 64, format: 'webp' },
  { name: 'preview', size: 256, format: 'jpeg' },
] as const;
const bed = new ProcessorBed(brokers, renditions);
const { run, sourceTopic } = bed;

const scenario = (name: string) => bed.scenario(name);
const startProcessor = (s: Scenario, name: string, env?: Record<string, string>) => bed.startProcessor(s, name, env);
const upload = (s: Scenario, key: string, body: Buffer) => bed.upload(s, key, body);
const rendered = (s: Scenario, key: string) => bed.rendered(s, key);
const countRendered = (s: Scenario, keys: string[]) => bed.countRendered(s, keys);
const download = (bucket: string, key: string) => bed.download(bucket, key);

beforeAll(() => bed.start());
// A test's processor would otherwise go on consuming the next test's events (its group is at the topic's end).
afterEach(() => bed.stopProcessors());
afterAll(() => bed.stop());

describe('processor', () => {
  it('renders every uploaded image to each rendition at the right size, format and metadata', async () => {
    const s = await scenario('renditions');
    const resultsTopic = `processor-${run}.results`;
    await ensureTopics(bed.admin, { [resultsTopic]: { partitions: 1, replication: 1 } });
    const processor = await startProcessor(s, 'renditions', { RESULTS_TOPIC: resultsTopic });
    const images: { key: string; body: Buffer; thumb: [number, number]; preview: [number, number] }[] = [
      { key: 'landscape.jpg', body: await solid(1600, 900, 'jpeg'), thumb: [64, 36], preview: [256, 144] },
      { key: 'album one/portrait shot+1.png', body: await solid(600, 1000, 'png'), thumb: [38, 64], preview: [154, 256] },
      { key: 'small.webp', body: await solid(40, 30, 'webp'), thumb: [40, 30], preview: [40, 30] },
      // Stored 800×400 with EXIF orientation 6: shown (and rendered) as 400×800.
      { key: 'phone/rotated.jpg', body: await solid(800, 400, 'jpeg', 6), thumb: [32, 64], preview: [128, 256] },
      { key: 'square.png', body: await solid(500, 500, 'png'), thumb: [64, 64], preview: [256, 256] },
      { key: 'wide.webp', body: await solid(1200, 300, 'webp'), thumb: [64, 16], preview: [256, 64] },
    ];
    await Promise.all(images.map((i) => upload(s, i.key, i.body)));

    await waitFor('renditions of every image', async () => (await countRendered(s, images.map((i) => i.key))) === images.length);

    for (const image of images) {
      const source = await bed.client.statObject(s.uploads, image.key);
      for (const r of renditions) {
        const key = `${stem(image.key)}/${r.name}.${r.format}`;
        const stat = await bed.client.statObject(s.processed, key);
        expect(stat.metaData['content-type'], key).toBe(r.format === 'webp' ? 'image/webp' : 'image/jpeg');
        expect(stat.metaData['source-etag'], key).toBe(source.etag);
        const meta = await sharp(await download(s.processed, key)).metadata();
        const [width, height] = r.name === 'thumb' ? image.thumb : image.preview;
        expect({ key, format: meta.format, width: meta.width, height: meta.height }).toEqual({ key, format: r.format, width, height });
      }
    }
    // Each upload's renditions are announced on results (for the API's index) with the key and size written.
    const announcements = (await readTopicUntil(brokers, resultsTopic, (m) => m.length >= images.length, 30_000)).map((m) => ({
      key: m.key,
      value: renditionsAnnouncementSchema.parse(JSON.parse(m.value ?? '')),
    }));
    expect(announcements.map((a) => a.key).sort()).toEqual(images.map((i) => i.key).sort());
    for (const { value } of announcements) {
      expect(value.bucket).toBe(s.processed);
      expect(value.renditions.map((r) => r.key)).toEqual(renditions.map((r) => `${stem(value.source)}/${r.name}.${r.format}`));
      for (const rendition of value.renditions) expect(rendition.size, rendition.key).toBe((await bed.client.statObject(s.processed, rendition.key)).size);
    }
    expect(await processor.metric('processor_objects_total{result="rendered"')).toBe(images.length);
    expect(await processor.metric('processor_renditions_total')).toBe(images.length * renditions.length);
    expect(await processor.metric('processor_object_duration_seconds_count')).toBe(images.length);
  });

  it('sends poison objects and events to the dead-letter topic with the reason, and keeps going', async () => {
    const s = await scenario('poison');
    const processor = await startProcessor(s, 'poison', { MAX_PIXELS: '5000000', MAX_BYTES: '300000' });
    const wholePng = await noise(300, 300, 'png');
    const poison: Record<string, { body: Buffer; reason: string }> = {
      'notes.txt': { body: Buffer.from('shopping list: milk, eggs'), reason: 'not-an-image' },
      'broken.png': { body: wholePng.subarray(0, Math.floor(wholePng.length * 0.6)), reason: 'corrupt-image' },
      'empty.jpg': { body: Buffer.alloc(0), reason: 'empty-object' },
      // 3000×2000 = 6 Mpx over the 5 Mpx limit, though the file itself is small.
      'huge.png': { body: await solid(3000, 2000, 'png'), reason: 'too-many-pixels' },
      'big.bin': { body: randomBytes(400_000), reason: 'too-many-bytes' },
    };
    for (const [key, p] of Object.entries(poison)) await upload(s, key, p.body);

    // Events that are not what MinIO sends, and one for an object that does not exist.
    const producer = new Kafka({ clientId: 'processor-test-producer', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const goneEvent = JSON.stringify({
      EventName: 's3:ObjectCreated:Put',
      Key: `${s.uploads}/never uploaded.jpg`,
      Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: s.uploads }, object: { key: 'never+uploaded.jpg', size: 10 } } }],
    });
    await producer.send({
      topic: sourceTopic,
      messages: [
        { key: `${s.uploads}/malformed`, value: '{"Records": [ this is not JSON' },
        { key: `${s.uploads}/never uploaded.jpg`, value: goneEvent },
      ],
    });
    await producer.disconnect();

    // A good image after all the poison is still processed.
    await upload(s, 'after/good.jpg', await solid(900, 600, 'jpeg'));
    await waitFor('the good image after the poison', () => rendered(s, 'after/good.jpg'));

    const expected = new Map<string, string>([
      ...Object.entries(poison).map(([key, p]) => [`${s.uploads}/${key}`, p.reason] as [string, string]),
      [`${s.uploads}/malformed`, 'malformed-event'],
      [`${s.uploads}/never uploaded.jpg`, 'object-gone'],
    ]);
    const letters = parseDeadLetters(
      await readTopicUntil(brokers, s.dlqTopic, (messages) => messages.length >= expected.size, 60_000),
    );
    expect(new Map(letters.map((l) => [l.key, l.reason]))).toEqual(expected);
    for (const letter of letters) {
      expect(letter.error.length, `${letter.key}`).toBeGreaterThan(0);
      expect(new Date(letter.failedAt).toISOString()).toBe(letter.failedAt);
    }
    expect(letters.find((l) => l.reason === 'malformed-event')?.event).toBe('{"Records": [ this is not JSON');
    const notes = letters.find((l) => l.reason === 'not-an-image');
    expect(JSON.parse(notes?.event ?? '{}').Records[0].s3.object.key).toBe('notes.txt');
    expect(await processor.metric('processor_dead_letters_total')).toBe(expected.size);
    expect(processor.child.exitCode).toBeNull();
    expect((await fetch(`${processor.opsUrl}/healthz`)).status).toBe(200);
  });

  it('loses nothing when killed with SIGKILL mid-stream and restarted, and commits on SIGTERM', async () => {
    const s = await scenario('crash');
    const firstWave = Array.from({ length: 12 }, (_, i) => `wave1/photo-${i}.jpg`);
    const secondWave = Array.from({ length: 6 }, (_, i) => `wave2/photo-${i}.jpg`);
    const firstBodies = await Promise.all(firstWave.map(() => noise(1600, 1200, 'jpeg')));
    const secondBodies = await Promise.all(secondWave.map(() => noise(800, 600, 'jpeg')));
    const first = await startProcessor(s, 'crash-1', { CONCURRENCY: '2' });
    await Promise.all(firstWave.map((key, i) => upload(s, key, firstBodies[i]!)));

    await waitFor('the first renditions', async () => (await countRendered(s, firstWave)) >= 1);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const doneAtKill = await countRendered(s, firstWave);
    console.log(`processor killed with ${doneAtKill} of ${firstWave.length} images rendered`);

    // Uploads go on while no processor runs; their events wait in Kafka.
    await Promise.all(secondWave.map((key, i) => upload(s, key, secondBodies[i]!)));
    const second = await startProcessor(s, 'crash-2', { CONCURRENCY: '2' });
    const all = [...firstWave, ...secondWave];
    await waitFor('every image of both waves', async () => (await countRendered(s, all)) === all.length, 90_000);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    // After the graceful stop the group's committed offsets reach the end of the topic: nothing left to replay.
    const ends = await bed.admin.fetchTopicOffsets(sourceTopic);
    const [committed] = await bed.admin.fetchOffsets({ groupId: s.groupId, topics: [sourceTopic] });
    for (const end of ends) {
      expect(committed?.partitions.find((p) => p.partition === end.partition)?.offset, `partition ${end.partition}`).toBe(end.high);
    }
    const dlq = await bed.admin.fetchTopicOffsets(s.dlqTopic);
    expect(dlq.map((p) => p.high)).toEqual(['0']);
  }, 180_000);

  it('retries while MinIO is unreachable and renders everything once it is back', async () => {
    const s = await scenario('outage');
    // The processor reaches MinIO through a loopback proxy that the test closes and reopens: a real outage.
    const target = new URL(bed.minio.endpoint);
    const proxyPort = await freePort();
    const sockets = new Set<Socket>();
    let proxy: Server | undefined;
    const openProxy = () =>
      new Promise<void>((ready) => {
        proxy = createServer((socket) => {
          const upstream = createConnection(Number(target.port), target.hostname);
          for (const end of [socket, upstream]) {
            sockets.add(end);
            end.on('close', () => sockets.delete(end));
            end.on('error', () => undefined);
          }
          socket.pipe(upstream).pipe(socket);
        }).listen(proxyPort, '127.0.0.1', () => ready());
      });
    const closeProxy = () =>
      new Promise<void>((closed) => {
        for (const socket of sockets) socket.destroy();
        proxy?.close(() => closed());
      });

    await openProxy();
    const processor = await startProcessor(s, 'outage', { MINIO_ENDPOINT: `http://127.0.0.1:${proxyPort}` });
    await closeProxy();
    const keys = Array.from({ length: 4 }, (_, i) => `outage/photo-${i}.png`);
    for (const key of keys) await upload(s, key, await solid(700, 500, 'png'));

    await waitFor('transient failures while MinIO is unreachable', async () => (await processor.metric('processor_transient_failures_total')) >= 2);
    expect(await countRendered(s, keys)).toBe(0);
    await openProxy();
    try {
      await waitFor('every image after the outage', async () => (await countRendered(s, keys)) === keys.length, 60_000);
    } finally {
      await closeProxy();
    }
    expect(await processor.metric('processor_objects_total{result="rendered"')).toBe(keys.length);
    expect(await processor.metric('processor_dead_letters_total')).toBe(0);
  });
});
