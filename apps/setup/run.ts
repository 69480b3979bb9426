// Ensures the topics, buckets and bucket notification of a SetupConfig; used by main.ts, the pipeline and tests.
import { createKafka } from '../lib/kafka';
import type { Logger } from '../lib/log';
import { createMinio } from '../lib/minio';
import { retry } from '../lib/retry';
import { ensureBucketNotification, ensureBuckets, ensureTopics, type TopicsOutcome } from '../lib/setup';
import type { SetupConfig } from './config';

export interface SetupOutcome {
  topics: TopicsOutcome;
  createdBuckets: string[];
  /** False when the notification was already in place. */
  notificationSet: boolean;
}

/** Runs every setup step; each is idempotent, so running setup again changes nothing. */
export async function runSetup(config: SetupConfig, log?: Logger, signal?: AbortSignal): Promise<SetupOutcome> {
  if (!config.BUCKETS.includes(config.NOTIFY_BUCKET)) {
    throw new Error(`NOTIFY_BUCKET ${config.NOTIFY_BUCKET} is not one of BUCKETS (${config.BUCKETS.join(',')})`);
  }
  const retryOptions = { attempts: config.SETUP_ATTEMPTS, delayMs: 1_000, maxDelayMs: 5_000, log, signal };
  const admin = createKafka(config, log).admin();
  let topics: TopicsOutcome;
  try {
    topics = await retry(
      'ensure topics',
      async () => {
        await admin.connect();
        return ensureTopics(admin, config.TOPICS);
      },
      retryOptions,
    );
  } finally {
    await admin.disconnect();
  }
  log?.info('topics ready', { ...topics });

  const minio = createMinio(config);
  const createdBuckets = await retry('ensure buckets', () => ensureBuckets(minio, config.BUCKETS, config.MINIO_REGION), retryOptions);
  log?.info('buckets ready', { buckets: config.BUCKETS, created: createdBuckets });

  const notificationSet = await retry(
    'ensure bucket notification',
    () => ensureBucketNotification(minio, config.NOTIFY_BUCKET, config.NOTIFY_ARN),
    retryOptions,
  );
  log?.info('bucket notification ready', { bucket: config.NOTIFY_BUCKET, arn: config.NOTIFY_ARN, changed: notificationSet });
  return { topics, createdBuckets, notificationSet };
}
