// The test bed itself: MinIO publishes a bucket event to Kafka when an object lands in a notified bucket.
import { randomUUID } from 'node:crypto';
import { inject, describe, expect, it } from 'vitest';
import { createMinio } from '../../apps/lib/minio';
import { ensureBucketNotification, ensureBuckets, minioKafkaArn } from '../../apps/lib/setup';
import { readTopicUntil } from '../../testbed/topic-reader';

const brokers = inject('kafkaBrokers');
const minio = inject('minio');

describe('test bed', () => {
  it('publishes a MinIO PUT to the minio-events topic', async () => {
    const client = createMinio({
      MINIO_ENDPOINT: minio.endpoint,
      MINIO_ACCESS_KEY: minio.accessKey,
      MINIO_SECRET_KEY: minio.secretKey,
      MINIO_REGION: 'us-east-1',
    });
    const bucket = `testbed-${randomUUID().slice(0, 8)}`;
    const object = 'photos/cat.txt';
    await ensureBuckets(client, [bucket]);
    await ensureBucketNotification(client, bucket, minioKafkaArn);
    await client.putObject(bucket, object, Buffer.from('meow'));

    const wantedKey = `${bucket}/${object}`;
    const seen = await readTopicUntil(brokers, 'minio-events', (messages) =>
      messages.some((m) => m.key === wantedKey),
    );
    const message = seen.find((m) => m.key === wantedKey);
    const event = JSON.parse(message?.value ?? '{}') as {
      EventName?: string;
      Key?: string;
      Records?: { s3: { bucket: { name: string }; object: { key: string; size: number } } }[];
    };
    expect(event.EventName).toBe('s3:ObjectCreated:Put');
    expect(event.Key).toBe(wantedKey);
    expect(event.Records?.[0]?.s3.bucket.name).toBe(bucket);
    // S3 event records carry the object key URL-encoded.
    expect(decodeURIComponent(event.Records?.[0]?.s3.object.key ?? '')).toBe(object);
    expect(event.Records?.[0]?.s3.object.size).toBe(4);
  });
});
