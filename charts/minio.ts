// Distributed MinIO: a StatefulSet with erasure coding over its pods, its Services and PDB.
import { Construct } from 'constructs';
import type { Environment } from '../config/schema';
import { topics } from '../contracts/topics';
import { APP_USER, RESOURCES, envVars, httpProbe, secretEnv } from './defaults';
import {
  MINIO_API_PORT,
  MINIO_CONSOLE_PORT,
  MINIO_CREDENTIALS_KEYS,
  MINIO_CREDENTIALS_SECRET,
  SERVICE_NAMES,
  kafkaBootstrap,
  serviceHost,
} from './endpoints';
import { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';
import { StatefulService } from './stateful-service';

/** MinIO runs as any user that owns its volume and writes nothing outside it and /tmp: our app user. */
const MINIO_USER = APP_USER;
/** Mount point of each pod's drive. */
const MINIO_DATA_MOUNT = '/data';
/**
 * Where MinIO queues bucket notifications while Kafka is unreachable. It is a volume of its own: a folder on the
 * drive would be read as a bucket, and an emptyDir would lose the queue with the pod.
 */
const MINIO_EVENT_QUEUE_MOUNT = '/var/lib/minio-events';

/** The drives of `minio server`: one path when single, MinIO's `{0...n}` expansion over the pods when distributed. */
export function minioServerVolumes(env: Environment): string {
  const { replicas } = env.apps.minio;
  if (replicas === 1) return MINIO_DATA_MOUNT;
  const host = `${SERVICE_NAMES.minio}-{0...${replicas - 1}}.${serviceHost(env, SERVICE_NAMES.minioHeadless)}`;
  return `http://${host}${MINIO_DATA_MOUNT}`;
}

/** MINIO_NOTIFY_KAFKA_*_PRIMARY: the Kafka target that bucket notifications (arn:minio:sqs::PRIMARY:kafka) use. */
export function notifyEnv(env: Environment): Record<string, string> {
  return {
    MINIO_NOTIFY_KAFKA_ENABLE_PRIMARY: 'on',
    MINIO_NOTIFY_KAFKA_BROKERS_PRIMARY: kafkaBootstrap(env),
    MINIO_NOTIFY_KAFKA_TOPIC_PRIMARY: topics.minioEvents,
    MINIO_NOTIFY_KAFKA_QUEUE_DIR_PRIMARY: MINIO_EVENT_QUEUE_MOUNT,
  };
}

/**
 * With monitoring, MinIO serves its cluster metrics without a token: Prometheus then needs no MinIO credential, and
 * only Prometheus and the namespace's own flows reach the port (charts/network-flows.ts).
 */
function metricsEnv(env: Environment): Record<string, string> {
  return env.monitoring.enabled ? { MINIO_PROMETHEUS_AUTH_TYPE: 'public' } : {};
}

/**
 * The MinIO cluster (image, replicas, storage from the model), with the Kafka target for bucket notifications; the
 * setup chart creates its buckets.
 */
export class MinioChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    const { env } = this;
    new StatefulService(this, 'nodes', {
      env,
      name: SERVICE_NAMES.minio,
      headlessServiceName: SERVICE_NAMES.minioHeadless,
      replicas: env.apps.minio.replicas,
      image: env.apps.images.minio,
      user: MINIO_USER,
      ports: { api: MINIO_API_PORT, console: MINIO_CONSOLE_PORT },
      headlessPorts: ['api'],
      clientPorts: ['api', 'console'],
      args: [
        'server',
        minioServerVolumes(env),
        '--address',
        `:${MINIO_API_PORT}`,
        '--console-address',
        `:${MINIO_CONSOLE_PORT}`,
        // The default certs dir is below $HOME, which is read-only here.
        '--certs-dir',
        '/tmp/certs',
      ],
      variables: [
        secretEnv('MINIO_ROOT_USER', MINIO_CREDENTIALS_SECRET, MINIO_CREDENTIALS_KEYS.user),
        secretEnv('MINIO_ROOT_PASSWORD', MINIO_CREDENTIALS_SECRET, MINIO_CREDENTIALS_KEYS.password),
        ...envVars(notifyEnv(env)),
        ...envVars(metricsEnv(env)),
      ],
      readinessProbe: httpProbe('/minio/health/ready', MINIO_API_PORT, 3),
      livenessProbe: httpProbe('/minio/health/live', MINIO_API_PORT, 6),
      resources: RESOURCES.minio,
      persistentVolumes: [
        { name: 'data', mountPath: MINIO_DATA_MOUNT, storage: env.apps.minio.storage },
        { name: 'event-queue', mountPath: MINIO_EVENT_QUEUE_MOUNT, storage: '1Gi' },
      ],
    });
  }
}
