// The one mapping from the model to an app's environment variables (the apps contract): the charts hand it the
// cluster's endpoints and Secret references, the local pipeline and the tests the test bed's endpoints and credentials.
import type { Environment } from '../config/schema';
import { consumerGroups } from './consumer-groups';
import { MINIO_REGION } from './minio-region';
import { topics } from './topics';

/** Apps whose environment comes from the model. */
export type ModelApp = 'processor' | 'producer' | 'aggregator' | 'detector' | 'lake-sink' | 'report' | 'api' | 'web';

/** Apps with a MinIO identity of their own. */
export type MinioApp = 'processor' | 'api' | 'lake-sink' | 'report';

/** A value read from a key of a Kubernetes Secret, so it never enters a manifest. */
export interface SecretKeyRef {
  secret: string;
  key: string;
}

/** A variable's value: text, or (in the charts) a Secret reference. */
export type EnvValue = string | SecretKeyRef;

export interface MinioCredentials<V extends EnvValue> {
  accessKey: V;
  secretKey: V;
}

/** Where the apps find Kafka, MinIO and their own ops port: the cluster's Services or the test bed's processes. */
export interface AppWiring<V extends EnvValue> {
  /** KAFKA_BROKERS: a comma list of host:port. */
  kafkaBrokers: string;
  /** MINIO_ENDPOINT of the apps. */
  minioEndpoint: string;
  /** The MinIO URL browsers reach (the api signs presigned URLs for it). */
  minioPublicEndpoint: string;
  /** The MinIO identity of an app. */
  minioCredentials(app: MinioApp): MinioCredentials<V>;
  /** OPS_PORT of an app. */
  opsPort(app: ModelApp): number;
  /** KAFKA_CLIENT_ID of an app. */
  clientId(app: ModelApp): string;
  /** Where the report image keeps Spark's jars (SPARK_JARS with engine spark). */
  sparkJars?: string;
}


/**
 * Environment variables of `app` from the model and the wiring, in the order the charts write them. Values the app's
 * own defaults already give (e.g. its consumer group's settings) are set here only where the model decides them.
 */
export function appEnvironment<V extends EnvValue>(app: ModelApp, model: Environment['apps'], wiring: AppWiring<V>): Record<string, string | V> {
  const common = { KAFKA_BROKERS: wiring.kafkaBrokers, KAFKA_CLIENT_ID: wiring.clientId(app), LOG_LEVEL: 'info', OPS_PORT: String(wiring.opsPort(app)) };
  const minio = (identity: MinioApp) => {
    const credentials = wiring.minioCredentials(identity);
    return { MINIO_ENDPOINT: wiring.minioEndpoint, MINIO_REGION, MINIO_ACCESS_KEY: credentials.accessKey, MINIO_SECRET_KEY: credentials.secretKey };
  };
  switch (app) {
    case 'processor':
      return {
        ...common,
        ...minio('processor'),
        SOURCE_TOPIC: topics.minioEvents,
        DLQ_TOPIC: topics.minioEventsDlq,
        RESULTS_TOPIC: topics.results,
        PROCESSED_BUCKET: model.buckets.processed,
        UPLOADS_BUCKET: model.buckets.uploads,
        RENDITIONS: JSON.stringify(model.processor.renditions),
        MAX_PIXELS: String(model.processor.maxPixels),
        MAX_BYTES: String(model.processor.maxBytes),
        GROUP_ID: consumerGroups.processor,
      };
    case 'producer':
      return {
        ...common,
        EVENTS_TOPIC: topics.events,
        SENSORS: model.producer.sensors.join(','),
        RATE_PER_SECOND: String(model.producer.ratePerSecond),
        ANOMALY_RATE: String(model.producer.anomalyRate),
      };
    case 'aggregator':
      return {
        ...common,
        EVENTS_TOPIC: topics.events,
        RESULTS_TOPIC: topics.results,
        WINDOW_SIZE: String(model.aggregator.window),
        GROUP_ID: consumerGroups.aggregator,
      };
    case 'detector':
      return {
        ...common,
        EVENTS_TOPIC: topics.events,
        ANOMALIES_TOPIC: topics.anomalies,
        GROUP_ID: consumerGroups.detector,
        DETECTOR_ALPHA: String(model.detector.alpha),
        DETECTOR_THRESHOLD: String(model.detector.threshold),
        DETECTOR_WARMUP: String(model.detector.warmup),
      };
    case 'lake-sink':
      return {
        ...common,
        ...minio('lake-sink'),
        EVENTS_TOPIC: topics.events,
        RESULTS_TOPIC: topics.results,
        ANOMALIES_TOPIC: topics.anomalies,
        LAKE_BUCKET: model.buckets.lake,
        DLQ_TOPIC: topics.lakeDlq,
        GROUP_ID: consumerGroups['lake-sink'],
      };
    case 'report':
      return {
        LOG_LEVEL: 'info',
        ...minio('report'),
        LAKE_BUCKET: model.buckets.lake,
        EVENTS_TOPIC: topics.events,
        ANOMALIES_TOPIC: topics.anomalies,
        REPORT_ENGINE: model.report.engine,
        REPORT_DAYS: String(model.report.days),
        WORK_DIR: '/tmp',
        ...(model.report.engine === 'spark' && wiring.sparkJars !== undefined ? { SPARK_JARS: wiring.sparkJars } : {}),
      };
    case 'api':
      return {
        ...common,
        ...minio('api'),
        RESULTS_TOPIC: topics.results,
        UPLOADS_BUCKET: model.buckets.uploads,
        PROCESSED_BUCKET: model.buckets.processed,
        MINIO_PUBLIC_ENDPOINT: wiring.minioPublicEndpoint,
        // The api signs no upload that the processor would refuse.
        MAX_UPLOAD_BYTES: String(model.processor.maxBytes),
      };
    case 'web':
      return webEnvironment(wiring.opsPort(app));
  }
}

/** Variables of the web UI: it only serves files, so no Kafka, no MinIO and nothing from the model. */
export function webEnvironment(opsPort: number): Record<string, string> {
  return { LOG_LEVEL: 'info', OPS_PORT: String(opsPort) };
}
