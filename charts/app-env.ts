// Environment variables of the wolke apps, per the contract between apps and charts.
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import { OPS_PORT, envVars, secretEnv } from './defaults';
import { MINIO_CREDENTIALS_KEYS, MINIO_CREDENTIALS_SECRET, kafkaBootstrap, minioEndpoint } from './endpoints';

/** What every app reads: its Kafka client id, log level and ops port. */
export function commonEnv(env: Environment, clientId: string): k8s.EnvVar[] {
  return envVars({ KAFKA_BROKERS: kafkaBootstrap(env), KAFKA_CLIENT_ID: clientId, LOG_LEVEL: 'info', OPS_PORT: String(OPS_PORT) });
}

/** Apps with a MinIO identity of their own, which the setup Job creates with the policy of their work. */
export type MinioApp = 'processor' | 'api' | 'lake-sink' | 'report';

/**
 * The Secret of each app's MinIO identity (keys accessKey, secretKey), created with random values by the deploy step
 * like minio-credentials. Only the app's own pods and the setup Job read it.
 */
export const MINIO_APP_SECRETS: Record<MinioApp, string> = { processor: 'minio-processor', api: 'minio-api', 'lake-sink': 'minio-lake-sink', report: 'minio-report' };
/** Keys of each app's MinIO identity Secret. */
export const MINIO_APP_SECRET_KEYS = { access: 'accessKey', secret: 'secretKey' } as const;

/**
 * MinIO endpoint and credentials; the credentials come from a Secret, never from the manifest. An app gets its own
 * identity; only MinIO and the setup Job get the root credentials.
 */
export function minioEnv(env: Environment, identity: MinioApp | 'root'): k8s.EnvVar[] {
  const credentials =
    identity === 'root'
      ? [
          secretEnv('MINIO_ACCESS_KEY', MINIO_CREDENTIALS_SECRET, MINIO_CREDENTIALS_KEYS.user),
          secretEnv('MINIO_SECRET_KEY', MINIO_CREDENTIALS_SECRET, MINIO_CREDENTIALS_KEYS.password),
        ]
      : [
          secretEnv('MINIO_ACCESS_KEY', MINIO_APP_SECRETS[identity], MINIO_APP_SECRET_KEYS.access),
          secretEnv('MINIO_SECRET_KEY', MINIO_APP_SECRETS[identity], MINIO_APP_SECRET_KEYS.secret),
        ];
  return [...envVars({ MINIO_ENDPOINT: minioEndpoint(env), MINIO_REGION: 'us-east-1' }), ...credentials];
}

/** The apps' identities as the setup Job reads them: MINIO_<APP>_ACCESS_KEY and MINIO_<APP>_SECRET_KEY (`-` as `_`). */
export function appIdentitiesEnv(): k8s.EnvVar[] {
  return (Object.keys(MINIO_APP_SECRETS) as MinioApp[]).flatMap((app) => {
    const name = app.toUpperCase().replaceAll('-', '_');
    return [
      secretEnv(`MINIO_${name}_ACCESS_KEY`, MINIO_APP_SECRETS[app], MINIO_APP_SECRET_KEYS.access),
      secretEnv(`MINIO_${name}_SECRET_KEY`, MINIO_APP_SECRETS[app], MINIO_APP_SECRET_KEYS.secret),
    ];
  });
}

/** Variables of the processor: where events come from, where renditions and failures go, and its limits. */
export function processorEnv(env: Environment): k8s.EnvVar[] {
  const p = env.apps.processor;
  return [
    ...commonEnv(env, 'processor'),
    ...minioEnv(env, 'processor'),
    ...envVars({
      SOURCE_TOPIC: 'minio-events',
      DLQ_TOPIC: 'minio-events.dlq',
      RESULTS_TOPIC: 'results',
      PROCESSED_BUCKET: env.apps.buckets.processed,
      UPLOADS_BUCKET: env.apps.buckets.uploads,
      RENDITIONS: JSON.stringify(p.renditions),
      MAX_PIXELS: String(p.maxPixels),
      MAX_BYTES: String(p.maxBytes),
      GROUP_ID: 'processor',
    }),
  ];
}

/** Variables of the producer. */
export function producerEnv(env: Environment): k8s.EnvVar[] {
  return [
    ...commonEnv(env, 'producer'),
    ...envVars({
      EVENTS_TOPIC: 'events',
      SENSORS: env.apps.producer.sensors.join(','),
      RATE_PER_SECOND: String(env.apps.producer.ratePerSecond),
      ANOMALY_RATE: String(env.apps.producer.anomalyRate),
    }),
  ];
}

/** Variables of the aggregator. */
export function aggregatorEnv(env: Environment): k8s.EnvVar[] {
  return [
    ...commonEnv(env, 'aggregator'),
    ...envVars({ EVENTS_TOPIC: 'events', RESULTS_TOPIC: 'results', WINDOW_SIZE: String(env.apps.aggregator.window), GROUP_ID: 'aggregator' }),
  ];
}

/** Variables of the detector: the events it judges, where anomalies go, and its parameters from the model. */
export function detectorEnv(env: Environment): k8s.EnvVar[] {
  const d = env.apps.detector;
  return [
    ...commonEnv(env, 'detector'),
    ...envVars({
      EVENTS_TOPIC: 'events',
      ANOMALIES_TOPIC: 'anomalies',
      GROUP_ID: 'detector',
      DETECTOR_ALPHA: String(d.alpha),
      DETECTOR_THRESHOLD: String(d.threshold),
      DETECTOR_WARMUP: String(d.warmup),
    }),
  ];
}

/** Variables of the lake sink: the topics it archives, the lake bucket and its dead-letter topic. */
export function lakeSinkEnv(env: Environment): k8s.EnvVar[] {
  return [
    ...commonEnv(env, 'lake-sink'),
    ...minioEnv(env, 'lake-sink'),
    ...envVars({
      EVENTS_TOPIC: 'events',
      RESULTS_TOPIC: 'results',
      ANOMALIES_TOPIC: 'anomalies',
      LAKE_BUCKET: env.apps.buckets.lake,
      DLQ_TOPIC: 'lake.dlq',
      GROUP_ID: 'lake-sink',
    }),
  ];
}

/** Variables of the report job: the lake, the topics it reads, the engine and the days of each run. */
export function reportEnv(env: Environment): k8s.EnvVar[] {
  const r = env.apps.report;
  return [
    ...envVars({ LOG_LEVEL: 'info' }),
    ...minioEnv(env, 'report'),
    ...envVars({
      LAKE_BUCKET: env.apps.buckets.lake,
      EVENTS_TOPIC: 'events',
      ANOMALIES_TOPIC: 'anomalies',
      REPORT_ENGINE: r.engine,
      REPORT_DAYS: String(r.days),
      WORK_DIR: '/tmp',
      ...(r.engine === 'spark' ? { SPARK_JARS: SPARK_IMAGE_JARS } : {}),
    }),
  ];
}

/** Where the report-spark image keeps Spark's jars and the compiled job (its Dockerfile puts them there). */
export const SPARK_IMAGE_JARS = '/opt/spark';

/** Variables of the api: results to stream, buckets to list, and the endpoint browsers use for presigned URLs. */
export function apiEnv(env: Environment): k8s.EnvVar[] {
  return [
    ...commonEnv(env, 'api'),
    ...minioEnv(env, 'api'),
    ...envVars({
      RESULTS_TOPIC: 'results',
      UPLOADS_BUCKET: env.apps.buckets.uploads,
      PROCESSED_BUCKET: env.apps.buckets.processed,
      MINIO_PUBLIC_ENDPOINT: env.apps.minio.publicEndpoint ?? minioEndpoint(env),
      // The api signs no upload that the processor would refuse.
      MAX_UPLOAD_BYTES: String(env.apps.processor.maxBytes),
    }),
  ];
}

/** Variables of the web UI: it only serves files, so no Kafka or MinIO. */
export function webEnv(): k8s.EnvVar[] {
  return envVars({ LOG_LEVEL: 'info', OPS_PORT: String(OPS_PORT) });
}
