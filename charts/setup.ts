// The setup Job: creates the model's topics and buckets, the uploads notification and the apps' MinIO identities.
import { Chart, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import type { Environment } from '../config/schema';
import { envVars } from './defaults';
import { appIdentitiesEnv, commonEnv, minioEnv } from './app-env';
import { MINIO_NOTIFY_ARN } from './endpoints';
import { topicsJson } from './kafka-config';
import { SETUP_NAME, SetupJob } from './setup-job';

export interface SetupChartProps extends ChartProps {
  /** The environment: topics, buckets and the setup image. */
  readonly env: Environment;
}

/** One Job for both stores: the setup app ensures topics, then buckets, then the notification (all idempotent). */
export class SetupChart extends Chart {
  constructor(scope: Construct, id: string, props: SetupChartProps) {
    super(scope, id, props);
    const { env } = props;
    new SetupJob(this, 'setup', {
      env,
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
    });
  }
}
