// The pure parts of setup: which topics to create or grow, and whether a bucket notification is already in place.
import { describe, expect, it } from 'vitest';
import { hasQueueNotification, minioKafkaArn, planTopics, type NotificationConfigResult } from '../../apps/lib/setup';

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
