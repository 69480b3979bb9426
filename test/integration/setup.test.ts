// apps/setup against the real test bed: it creates topics, buckets and the notification, and a second run changes nothing.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { createMinio } from '../../apps/lib/minio';
import { minioKafkaArn } from '../../apps/lib/setup';
import { readTopicUntil } from '../../testbed/topic-reader';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '..', '..');
const brokers = inject('kafkaBrokers');
const minio = inject('minio');

/** Runs `npx tsx apps/setup/main.ts` with the given setup variables; resolves with its JSON log lines. */
async function runSetupApp(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  const { stdout } = await run(resolve(repoRoot, 'node_modules/.bin/tsx'), ['apps/setup/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_CLIENT_ID: 'setup-test',
      MINIO_ENDPOINT: minio.endpoint,
      MINIO_ACCESS_KEY: minio.accessKey,
      MINIO_SECRET_KEY: minio.secretKey,
      ...env,
    },
    timeout: 90_000,
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('apps/setup', () => {
  it('creates topics, buckets and the notification, and is idempotent', async () => {
    const id = randomUUID().slice(0, 8);
    const events = `setup-${id}-events`;
    const results = `setup-${id}-results`;
    const uploads = `setup-${id}-uploads`;
    const processed = `setup-${id}-processed`;
    const env = {
      TOPICS: JSON.stringify({ [events]: { partitions: 3, replication: 1 }, [results]: { partitions: 1, replication: 1 } }),
      BUCKETS: `${uploads},${processed}`,
      NOTIFY_BUCKET: uploads,
      NOTIFY_ARN: minioKafkaArn,
    };

    const first = await runSetupApp(env);
    expect(first.find((l) => l.msg === 'topics ready')).toMatchObject({ created: [events, results], grown: [] });
    expect(first.find((l) => l.msg === 'buckets ready')).toMatchObject({ created: [uploads, processed] });
    expect(first.find((l) => l.msg === 'bucket notification ready')).toMatchObject({ changed: true });

    const second = await runSetupApp(env);
    expect(second.find((l) => l.msg === 'topics ready')).toMatchObject({ created: [], grown: [], unchanged: [events, results] });
    expect(second.find((l) => l.msg === 'buckets ready')).toMatchObject({ created: [] });
    expect(second.find((l) => l.msg === 'bucket notification ready')).toMatchObject({ changed: false });

    // More partitions wanted later: setup raises them instead of failing on the existing topic.
    const grown = await runSetupApp({
      ...env,
      TOPICS: JSON.stringify({ [events]: { partitions: 3, replication: 1 }, [results]: { partitions: 2, replication: 1 } }),
    });
    expect(grown.find((l) => l.msg === 'topics ready')).toMatchObject({ created: [], grown: [results] });

    const admin = new Kafka({ clientId: 'setup-test', brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [events, results] });
      const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual({ [events]: 3, [results]: 2 });
    } finally {
      await admin.disconnect();
    }

    const client = createMinio({
      MINIO_ENDPOINT: minio.endpoint,
      MINIO_ACCESS_KEY: minio.accessKey,
      MINIO_SECRET_KEY: minio.secretKey,
      MINIO_REGION: 'us-east-1',
    });
    expect(await client.bucketExists(processed)).toBe(true);
    const notification = await client.getBucketNotification(uploads);
    expect(notification.QueueConfiguration.map((q) => [q.Queue, q.Event])).toEqual([[minioKafkaArn, ['s3:ObjectCreated:*']]]);

    // The notification works: an upload is announced on minio-events.
    await client.putObject(uploads, 'a.jpg', Buffer.from('not really a jpeg'));
    const seen = await readTopicUntil(brokers, 'minio-events', (m) => m.some((x) => x.key === `${uploads}/a.jpg`));
    expect(seen.some((x) => x.key === `${uploads}/a.jpg`)).toBe(true);
  });

  it('exits 1 and names the bad variables', async () => {
    const failure = await runSetupApp({ TOPICS: '{oops', BUCKETS: 'a' }).then(
      () => undefined,
      (error: { code?: number; stdout?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain('TOPICS: must be valid JSON');
  });
});
