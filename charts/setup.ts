// The setup Job: creates the model's topics and buckets, the uploads notification and the apps' MinIO identities.
import { Construct } from 'constructs';
import { RESOURCES, envVars } from './defaults';
import { appIdentitiesEnv, commonEnv, minioEnv } from './app-env';
import { AppJob } from './app-job';
import { MINIO_NOTIFY_ARN } from './endpoints';
import { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';
import { topicsJson } from './kafka-config';

/** Pods of the setup job carry this name; the network policy of `setup` lets them reach Kafka and MinIO. */
const SETUP_NAME = 'setup';

/**
 * One Job for both stores (topics, buckets and the setup image from the model): the setup app ensures topics, then
 * buckets, then the notification (all idempotent). It retries while Kafka or MinIO are still starting and gives up
 * after 15 minutes.
 */
export class SetupChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    const { env } = this;
    new AppJob(this, 'setup', {
      env,
      name: SETUP_NAME,
      image: env.apps.images.setup,
      variables: [
        ...commonEnv(env, SETUP_NAME),
        // The root credentials, to create each app's user and policy; the apps' secrets, to give those users.
        ...minioEnv(env, 'root'),
        ...appIdentitiesEnv(),
        ...envVars({
          TOPICS: topicsJson(env),
          BUCKETS: [env.apps.buckets.uploads, env.apps.buckets.processed, env.apps.buckets.lake].join(','),
          NOTIFY_BUCKET: env.apps.buckets.uploads,
          PROCESSED_BUCKET: env.apps.buckets.processed,
          LAKE_BUCKET: env.apps.buckets.lake,
          NOTIFY_ARN: MINIO_NOTIFY_ARN,
        }),
      ],
      resources: RESOURCES.setup,
      restartPolicy: 'OnFailure',
      backoffLimit: 12,
      activeDeadlineSeconds: 900,
    });
  }
}
