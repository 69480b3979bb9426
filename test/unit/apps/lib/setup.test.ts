// The pure parts of setup: topics to create or grow, whether a notification is in place, the job's configuration, retry waits.
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../../apps/lib/config';
import { backoffDelay } from '../../../../apps/lib/retry';
import { setupEnv } from '../../../../apps/setup/config';
import { hasQueueNotification, minioKafkaArn, planTopics, type NotificationConfigResult } from '../../../../apps/lib/setup';

describe('planTopics', () => {
  const wanted = { events: { partitions: 3, replication: 1 }, results: { partitions: 3, replication: 1 }, dlq: { partitions: 1, replication: 1 } };

  it('creates missing topics, grows too few partitions, and leaves the rest', () => {
    const plan = planTopics(wanted, new Map([['results', 1], ['dlq', 4]]));
    expect(plan.create).toEqual(['events']);
    expect(plan.grow).toEqual([{ topic: 'results', count: 3 }]);
    // Kafka cannot remove partitions: more than wanted is fine.
    expect(plan.unchanged).toEqual(['dlq']);
  });

  it('does nothing when everything exists', () => {
    const plan = planTopics(wanted, new Map([['events', 3], ['results', 3], ['dlq', 1]]));
    expect(plan).toEqual({ create: [], grow: [], unchanged: ['events', 'results', 'dlq'] });
  });
});

describe('hasQueueNotification', () => {
  const config = (queues: NotificationConfigResult['QueueConfiguration']): NotificationConfigResult => ({
    QueueConfiguration: queues,
    TopicConfiguration: [],
    CloudFunctionConfiguration: [],
  });

  it('is true for exactly the wanted events on the ARN', () => {
    const current = config([{ Id: '1', Queue: minioKafkaArn, Event: ['s3:ObjectCreated:*'], Filter: [] }]);
    expect(hasQueueNotification(current, minioKafkaArn, ['s3:ObjectCreated:*'])).toBe(true);
  });

  it('is false when missing, for other events, another ARN or with a filter', () => {
    expect(hasQueueNotification(config([]), minioKafkaArn, ['s3:ObjectCreated:*'])).toBe(false);
    expect(
      hasQueueNotification(
        config([{ Id: '1', Queue: minioKafkaArn, Event: ['s3:ObjectCreated:Put'], Filter: [] }]),
        minioKafkaArn,
        ['s3:ObjectCreated:*'],
      ),
    ).toBe(false);
    expect(
      hasQueueNotification(
        config([{ Id: '1', Queue: 'arn:minio:sqs::OTHER:kafka', Event: ['s3:ObjectCreated:*'], Filter: [] }]),
        minioKafkaArn,
        ['s3:ObjectCreated:*'],
      ),
    ).toBe(false);
    expect(
      hasQueueNotification(
        config([{ Id: '1', Queue: minioKafkaArn, Event: ['s3:ObjectCreated:*'], Filter: [{ Name: 'prefix', Value: 'x/' }] }]),
        minioKafkaArn,
        ['s3:ObjectCreated:*'],
      ),
    ).toBe(false);
  });
});

describe('setup job configuration', () => {
  const base = { KAFKA_BROKERS: 'k:9092', MINIO_ENDPOINT: 'http://minio:9000', MINIO_ACCESS_KEY: 'a', MINIO_SECRET_KEY: 'b' };

  it('reads topics as JSON and buckets as a list, with the notification defaults', () => {
    const config = readConfig(setupEnv, {
      ...base,
      TOPICS: '{"minio-events":{"partitions":3,"replication":1}}',
      BUCKETS: 'uploads,processed',
    });
    expect(config.TOPICS).toEqual({ 'minio-events': { partitions: 3, replication: 1 } });
    expect(config.BUCKETS).toEqual(['uploads', 'processed']);
    expect(config.NOTIFY_BUCKET).toBe('uploads');
    expect(config.NOTIFY_ARN).toBe(minioKafkaArn);
  });

  it('rejects topics without a replication factor and ARNs that are not MinIO targets', () => {
    expect(() => readConfig(setupEnv, { ...base, TOPICS: '{"events":{"partitions":3}}', BUCKETS: 'u' })).toThrow(/TOPICS:/);
    expect(() =>
      readConfig(setupEnv, { ...base, TOPICS: '{}', BUCKETS: 'u', NOTIFY_ARN: 'arn:aws:sqs:x' }),
    ).toThrow(/NOTIFY_ARN: must be a MinIO ARN/);
  });
});

describe('backoffDelay', () => {
  it('starts at once, doubles, and stops growing at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 1_000, 5_000))).toEqual([0, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});
