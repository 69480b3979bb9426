// What the local pipeline runs: the apps it knows, and the environment each gets from the model and the test bed.
import type { Environment } from '../config/schema';
import type { TopicSpec } from '../apps/lib/setup';

/** Apps the pipeline starts when apps/<name>/main.ts exists, in start order (consumers before the producer). */
export const pipelineApps = ['processor', 'aggregator', 'detector', 'lake-sink', 'api', 'producer', 'web'] as const;
export type PipelineApp = (typeof pipelineApps)[number];

/** Where the test bed and the apps listen. */
export interface PipelineEndpoints {
  kafkaBrokers: string[];
  /** The MinIO root credentials: setup only. */
  minio: { endpoint: string; accessKey: string; secretKey: string };
  /** The MinIO identity setup made for each app that talks to MinIO; without one, the app gets the root's. */
  identities?: Partial<Record<'processor' | 'api' | 'lake-sink', { accessKey: string; secretKey: string }>>;
  /** OPS_PORT of each app. */
  ports: Record<PipelineApp, number>;
}

/** The model's topics for a one-broker test bed: same partitions, replication 1. */
export function localTopics(topics: Environment['apps']['topics']): Record<string, TopicSpec> {
  return Object.fromEntries(Object.entries(topics).map(([name, t]) => [name, { partitions: t.partitions, replication: 1 }]));
}

/** Environment variables of `app`, following the apps contract; values come from the model where it has them. */
export function appEnvironment(app: PipelineApp, model: Environment['apps'], endpoints: PipelineEndpoints): Record<string, string> {
  const common = {
    LOG_LEVEL: 'info',
    OPS_PORT: String(endpoints.ports[app]),
    OPS_HOST: '127.0.0.1',
    KAFKA_CLIENT_ID: `wolke-${app}`,
  };
  const kafka = { KAFKA_BROKERS: endpoints.kafkaBrokers.join(',') };
  const minioAs = (identity: { accessKey: string; secretKey: string } = endpoints.minio) => ({
    MINIO_ENDPOINT: endpoints.minio.endpoint,
    MINIO_ACCESS_KEY: identity.accessKey,
    MINIO_SECRET_KEY: identity.secretKey,
    MINIO_REGION: 'us-east-1',
  });
  switch (app) {
    case 'processor':
      return {
        ...common,
        ...kafka,
        ...minioAs(endpoints.identities?.processor),
        SOURCE_TOPIC: 'minio-events',
        DLQ_TOPIC: 'minio-events.dlq',
        RESULTS_TOPIC: 'results',
        PROCESSED_BUCKET: model.buckets.processed,
        UPLOADS_BUCKET: model.buckets.uploads,
        RENDITIONS: JSON.stringify(model.processor.renditions),
        MAX_PIXELS: String(model.processor.maxPixels),
        MAX_BYTES: String(model.processor.maxBytes),
        GROUP_ID: 'processor',
        CONCURRENCY: '2',
      };
    case 'producer':
      return {
        ...common,
        ...kafka,
        EVENTS_TOPIC: 'events',
        SENSORS: model.producer.sensors.join(','),
        RATE_PER_SECOND: String(model.producer.ratePerSecond),
        ANOMALY_RATE: String(model.producer.anomalyRate),
      };
    case 'aggregator':
      return {
        ...common,
        ...kafka,
        EVENTS_TOPIC: 'events',
        RESULTS_TOPIC: 'results',
        WINDOW_SIZE: String(model.aggregator.window),
        GROUP_ID: 'aggregator',
      };
    case 'detector':
      return {
        ...common,
        ...kafka,
        EVENTS_TOPIC: 'events',
        ANOMALIES_TOPIC: 'anomalies',
        GROUP_ID: 'detector',
        DETECTOR_ALPHA: String(model.detector.alpha),
        DETECTOR_THRESHOLD: String(model.detector.threshold),
        DETECTOR_WARMUP: String(model.detector.warmup),
      };
    case 'lake-sink':
      return {
        ...common,
        ...kafka,
        ...minioAs(endpoints.identities?.['lake-sink']),
        EVENTS_TOPIC: 'events',
        RESULTS_TOPIC: 'results',
        ANOMALIES_TOPIC: 'anomalies',
        LAKE_BUCKET: model.buckets.lake,
        DLQ_TOPIC: 'lake.dlq',
        GROUP_ID: 'lake-sink',
        // Locally the lake fills within seconds, so a short run shows files.
        ROLL_MS: '10000',
      };
    case 'api':
      return {
        ...common,
        ...kafka,
        ...minioAs(endpoints.identities?.api),
        RESULTS_TOPIC: 'results',
        UPLOADS_BUCKET: model.buckets.uploads,
        PROCESSED_BUCKET: model.buckets.processed,
        // Locally the browser reaches MinIO where the test bed listens.
        MINIO_PUBLIC_ENDPOINT: endpoints.minio.endpoint,
      };
    case 'web':
      return { ...common, API_PROXY_TARGET: `http://127.0.0.1:${endpoints.ports.api}` };
  }
}
