// Poison inputs end in the DLQ with their reason while valid uploads (odd keys included) are processed, and the
// processor stays alive and counts each reason on /metrics. Runs on the shared Kafka with a MinIO of its own.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readProcessorConfig } from '../../apps/processor/config';
import { dlqReasons, type DlqReason } from '../../apps/processor/errors';
import { parseNotification } from '../../apps/processor/event';
import { renditionKey } from '../../contracts/rendition-key';
import { readTopicUntil } from '../../testbed/topic-reader';
import { runDirectory, startPipeline, type Pipeline } from '../support/pipeline-bed';
import { corruptJpeg, pngBomb, smallImage, truncatedPng } from '../support/pipeline-images';
import {
  listKeys,
  renditionsWithWrongSource,
  topicMessageCount,
  uploadWithRetry,
  waitForRenditions,
  type Upload,
} from '../support/pipeline-outcome';
import { counterByLabel, startProcessor, type ProcessorProcess } from '../support/pipeline-processor';

const brokers = inject('kafkaBrokers');
const maxBytes = 100_000;
const longKey = `poison/${`${'k'.repeat(200)}/`.repeat(5)}long.jpg`;
let pipeline: Pipeline | undefined;
let processor: ProcessorProcess | undefined;

beforeAll(async () => {
  pipeline = await startPipeline({ prefix: 'poison', brokers, logDir: runDirectory('pipeline-poison'), partitions: 1, replication: 1 });
}, 180_000);

afterAll(async () => {
  await processor?.app.stop('SIGKILL');
  await pipeline?.stop();
}, 60_000);

/** A DLQ message as the contract defines it. */
interface DeadLetter {
  reason: DlqReason;
  error: string;
  event: string;
  failedAt: string;
}

describe('poison inputs', () => {
  it('dead-letters each bad input with its reason, renders valid odd keys, and stays alive', async () => {
    const p = pipeline!;
    const bucket = p.names.uploadsBucket;
    const poison: Record<string, { body: Buffer; reason: DlqReason }> = {
      'poison/corrupt.jpg': { body: await corruptJpeg(1), reason: 'corrupt-image' },
      'poison/truncated.png': { body: await truncatedPng(2), reason: 'corrupt-image' },
      'poison/empty.jpg': { body: Buffer.alloc(0), reason: 'empty-object' },
      'poison/notes.txt': { body: Buffer.from('not a picture, just words\n'), reason: 'not-an-image' },
      'poison/bomb.png': { body: pngBomb(20_000, 20_000), reason: 'too-many-pixels' },
      'poison/too-big.jpg': { body: randomBytes(maxBytes + 50_000), reason: 'too-many-bytes' },
      'poison/deleted.jpg': { body: await smallImage(3), reason: 'object-gone' },
      // A valid image whose key (1,020 bytes) fits S3's 1,024-byte limit, but its renditions' keys would not.
      [longKey]: { body: await smallImage(4), reason: 'invalid-key' },
    };
    expect(poison['poison/bomb.png']!.body.length).toBeLessThan(1_000);
    const validKeys = [
      'odd keys/with space.jpg',
      'odd keys/ünïcødé 日本 ✓.jpg',
      'odd keys/100% sure+plus&x=1 %20.jpg',
      'odd keys/dots.in.name.v2.png',
    ];

    for (const [key, { body }] of Object.entries(poison)) await uploadWithRetry(p.client, bucket, key, body);
    const valid: Upload[] = [];
    for (const [i, key] of validKeys.entries()) {
      valid.push(await uploadWithRetry(p.client, bucket, key, await smallImage(100 + i, key.endsWith('.png') ? 'png' : 'jpeg')));
    }
    // Gone before the processor gets to its notification.
    await p.client.removeObject(bucket, 'poison/deleted.jpg');

    // Messages that are not MinIO notifications, produced straight to the source topic.
    const malformed: Record<string, string> = {
      'malformed/not-json': 'this is {not json',
      'malformed/empty': '',
      'malformed/no-records': JSON.stringify({ EventName: 's3:ObjectCreated:Put', Key: `${bucket}/x.jpg`, Records: [] }),
      'malformed/broken-escape': JSON.stringify({
        Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: bucket }, object: { key: 'bad%E0%A4%A.jpg' } } }],
      }),
    };
    const producer = new Kafka({ clientId: 'poison-test', brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic: p.names.sourceTopic,
      messages: Object.entries(malformed).map(([key, value]) => ({ key, value })),
    });
    await producer.disconnect();

    processor = await startProcessor(p.processorEnv({ MAX_BYTES: String(maxBytes) }), join(p.logDir, 'processor.log'));
    const expectedLetters = Object.keys(poison).length + Object.keys(malformed).length;
    const messages = await readTopicUntil(brokers, p.names.dlqTopic, (m) => m.length >= expectedLetters, 90_000);

    // Each letter is traced to its input: object events through the event they carry, malformed ones by key.
    const reasonBySubject: Record<string, DlqReason> = {};
    for (const message of messages) {
      const letter = JSON.parse(message.value ?? '') as DeadLetter;
      expect(Object.keys(letter).sort()).toEqual(['error', 'event', 'failedAt', 'reason']);
      expect(Number.isNaN(Date.parse(letter.failedAt))).toBe(false);
      expect(letter.error.length).toBeGreaterThan(0);
      const parsed = parseNotification(letter.event);
      const subject = parsed.ok && parsed.created.length === 1 ? parsed.created[0]!.key : (message.key ?? '(no key)');
      if (subject in malformed) expect(letter.event).toBe(malformed[subject]);
      reasonBySubject[subject] = letter.reason;
    }
    expect(reasonBySubject).toEqual({
      ...Object.fromEntries(Object.entries(poison).map(([key, { reason }]) => [key, reason])),
      ...Object.fromEntries(Object.keys(malformed).map((key) => [key, 'malformed-event'])),
    });

    // Valid uploads with spaces, unicode, percent and plus signs land under their decoded keys.
    const renditions = readProcessorConfig(p.processorEnv()).RENDITIONS;
    const missing = await waitForRenditions(p.client, p.names.processedBucket, valid, renditions, 60_000);
    expect(missing.map((u) => u.key)).toEqual([]);
    expect(await renditionsWithWrongSource(p.client, p.names.processedBucket, valid, renditions)).toEqual([]);
    const thumb = await p.client.getObject(p.names.processedBucket, renditionKey(validKeys[1]!, renditions[0]!));
    const chunks: Buffer[] = [];
    for await (const chunk of thumb) chunks.push(chunk as Buffer);
    expect((await sharp(Buffer.concat(chunks)).metadata()).format).toBe(renditions[0]!.format);
    // Nothing half-made from a poison input.
    expect([...(await listKeys(p.client, p.names.processedBucket))].filter((k) => k.startsWith('poison/'))).toEqual([]);

    expect(processor.alive()).toBe(true);
    expect((await fetch(`${processor.opsUrl}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${processor.opsUrl}/metrics`)).text();
    // Every reason is exported from the start (0 until it happens), so alerts see the series.
    const expectedByReason: Record<string, number> = Object.fromEntries(dlqReasons.map((r) => [r, 0]));
    for (const reason of Object.values(reasonBySubject)) expectedByReason[reason]! += 1;
    expect(counterByLabel(metrics, 'processor_dead_letters_total', 'reason')).toEqual(expectedByReason);
    expect(counterByLabel(metrics, 'processor_objects_total', 'result')).toEqual({
      rendered: validKeys.length,
      'dead-lettered': Object.keys(poison).length,
    });
    // No letter twice: each input was dead-lettered exactly once.
    expect(await topicMessageCount(brokers, p.names.dlqTopic)).toBe(expectedLetters);
  });
});
