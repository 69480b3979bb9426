// Ensures the topics, buckets and bucket notification of a SetupConfig; used by main.ts, the pipeline and tests.
import { createKafka } from '../lib/kafka';
import type { Logger } from '../lib/log';
import { createMinio } from '../lib/minio';
import { MinioAdmin } from '../lib/minio-admin';
import { retry } from '../lib/retry';
import { ensureBucketNotification, ensureBuckets, ensureTopics, type TopicsOutcome } from '../lib/setup';
import type { SetupConfig } from './config';
import { type MinioApp, appPolicy, policyName } from './identities';

export interface SetupOutcome {
  topics: TopicsOutcome;
  createdBuckets: string[];
  /** False when the notification was already in place. */
  notificationSet: boolean;
  /** Apps whose MinIO user and policy were put in place (never their secrets). */
  identities: MinioApp[];
}

/** The app identities the configuration asks for. */
export function wantedIdentities(config: SetupConfig): { app: MinioApp; accessKey: string; secretKey: string }[] {
  const wanted: { app: MinioApp; accessKey: string; secretKey: string }[] = [];
  if (config.MINIO_PROCESSOR_ACCESS_KEY !== undefined && config.MINIO_PROCESSOR_SECRET_KEY !== undefined) {
    wanted.push({ app: 'processor', accessKey: config.MINIO_PROCESSOR_ACCESS_KEY, secretKey: config.MINIO_PROCESSOR_SECRET_KEY });
  }
  if (config.MINIO_API_ACCESS_KEY !== undefined && config.MINIO_API_SECRET_KEY !== undefined) {
    wanted.push({ app: 'api', accessKey: config.MINIO_API_ACCESS_KEY, secretKey: config.MINIO_API_SECRET_KEY });
  }
  if (config.MINIO_LAKE_SINK_ACCESS_KEY !== undefined && config.MINIO_LAKE_SINK_SECRET_KEY !== undefined) {
    wanted.push({ app: 'lake-sink', accessKey: config.MINIO_LAKE_SINK_ACCESS_KEY, secretKey: config.MINIO_LAKE_SINK_SECRET_KEY });
  }
  if (config.MINIO_REPORT_ACCESS_KEY !== undefined && config.MINIO_REPORT_SECRET_KEY !== undefined) {
    wanted.push({ app: 'report', accessKey: config.MINIO_REPORT_ACCESS_KEY, secretKey: config.MINIO_REPORT_SECRET_KEY });
  }
  return wanted;
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

  // Each app gets a user of its own whose only policy is its work; putting them again changes nothing.
  const minioAdmin = new MinioAdmin(config.MINIO_ENDPOINT, config.MINIO_ACCESS_KEY, config.MINIO_SECRET_KEY, config.MINIO_REGION);
  const buckets = { uploads: config.NOTIFY_BUCKET, processed: config.PROCESSED_BUCKET, lake: config.LAKE_BUCKET };
  const identities: MinioApp[] = [];
  for (const identity of wantedIdentities(config)) {
    await retry(
      `ensure the ${identity.app} identity`,
      async () => {
        await minioAdmin.putPolicy(policyName(identity.app), appPolicy(identity.app, buckets));
        await minioAdmin.putUser(identity.accessKey, identity.secretKey);
        await minioAdmin.setUserPolicy(identity.accessKey, policyName(identity.app));
      },
      retryOptions,
    );
    identities.push(identity.app);
    // Neither the access key nor the secret is logged: the log-secrets test treats both as secrets.
    log?.info('app identity ready', { app: identity.app, policy: policyName(identity.app) });
  }
  return { topics, createdBuckets, notificationSet, identities };
}
