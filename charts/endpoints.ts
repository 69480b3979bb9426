// Names and in-cluster addresses of the services wolke's workloads talk to, computed from the model.
import type { Environment } from '../config/schema';

/** Port of Kafka's client (PLAINTEXT) listener. */
export const KAFKA_CLIENT_PORT = 9092;
/** Port of Kafka's KRaft controller listener. */
export const KAFKA_CONTROLLER_PORT = 9093;
/** Port of the Prometheus JMX exporter agent in every Kafka broker (/metrics). */
export const KAFKA_METRICS_PORT = 9404;
/** Port of the MinIO S3 API. */
export const MINIO_API_PORT = 9000;
/** Port of the MinIO console. */
export const MINIO_CONSOLE_PORT = 9001;
/** Name of the Secret (keys rootUser, rootPassword) that the deploy step creates with random values. */
export const MINIO_CREDENTIALS_SECRET = 'minio-credentials';
/** Keys of that Secret: MinIO's root user and password. */
export const MINIO_CREDENTIALS_KEYS = { user: 'rootUser', password: 'rootPassword' } as const;
/** MinIO's name for its Kafka notification target `PRIMARY`. */
export const MINIO_NOTIFY_ARN = 'arn:minio:sqs::PRIMARY:kafka';

/** Services and StatefulSets: one name each, used by the charts and the network policies. */
export const SERVICE_NAMES = {
  kafka: 'kafka',
  kafkaHeadless: 'kafka-hl',
  minio: 'minio',
  minioHeadless: 'minio-hl',
  api: 'api',
  web: 'web',
} as const;

/** Fully qualified DNS name of a Service in the environment's namespace. */
export function serviceHost(env: Environment, service: string): string {
  return `${service}.${env.apps.namespace}.svc.cluster.local`;
}

/** DNS name of pod `<set>-<ordinal>` behind its headless Service. */
export function statefulPodHost(env: Environment, set: string, headless: string, ordinal: number): string {
  return `${set}-${ordinal}.${serviceHost(env, headless)}`;
}

/** KAFKA_BROKERS of the apps: the client Service, which spreads bootstrap connections over the brokers. */
export function kafkaBootstrap(env: Environment): string {
  return `${serviceHost(env, SERVICE_NAMES.kafka)}:${KAFKA_CLIENT_PORT}`;
}

/** MINIO_ENDPOINT of the apps. */
export function minioEndpoint(env: Environment): string {
  return `http://${serviceHost(env, SERVICE_NAMES.minio)}:${MINIO_API_PORT}`;
}
