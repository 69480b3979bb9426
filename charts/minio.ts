// Distributed MinIO: a StatefulSet with erasure coding over its pods, its Services and PDB.
import { Chart, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import { topics } from '../contracts/topics';
import {
  APP_USER,
  RESOURCES,
  containerSecurityContext,
  envVars,
  httpProbe,
  imageRef,
  podLabels,
  podSecurityContext,
  resources,
  scratchDirectories,
  secretEnv,
  selectorLabels,
  workerPlacement,
} from './defaults';
import {
  MINIO_API_PORT,
  MINIO_CONSOLE_PORT,
  MINIO_CREDENTIALS_SECRET,
  SERVICE_NAMES,
  kafkaBootstrap,
  serviceHost,
} from './endpoints';
import { quantity } from './quantity';

/** MinIO runs as any user that owns its volume and writes nothing outside it and /tmp: our app user. */
export const MINIO_USER = APP_USER;
/** Mount point of each pod's drive. */
export const MINIO_DATA_MOUNT = '/data';
/**
 * Where MinIO queues bucket notifications while Kafka is unreachable. It is a volume of its own: a folder on the
 * drive would be read as a bucket, and an emptyDir would lose the queue with the pod.
 */
export const MINIO_EVENT_QUEUE_MOUNT = '/var/lib/minio-events';

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
export function metricsEnv(env: Environment): Record<string, string> {
  return env.monitoring.enabled ? { MINIO_PROMETHEUS_AUTH_TYPE: 'public' } : {};
}

export interface MinioChartProps extends ChartProps {
  /** The environment: MinIO image, replicas, storage and buckets. */
  readonly env: Environment;
}

/** The MinIO cluster, with the Kafka target for bucket notifications; the setup chart creates its buckets. */
export class MinioChart extends Chart {
  constructor(scope: Construct, id: string, props: MinioChartProps) {
    super(scope, id, props);
    const { env } = props;
    const name = SERVICE_NAMES.minio;
    const selector = selectorLabels(name);
    const ports = [
      { name: 'api', containerPort: MINIO_API_PORT, protocol: 'TCP' },
      { name: 'console', containerPort: MINIO_CONSOLE_PORT, protocol: 'TCP' },
    ];
    const scratch = scratchDirectories({ tmp: '/tmp' });

    new k8s.KubeService(this, 'headless', {
      metadata: { name: SERVICE_NAMES.minioHeadless },
      spec: {
        clusterIp: 'None',
        // Nodes of a distributed MinIO must resolve each other while they are still waiting for each other.
        publishNotReadyAddresses: true,
        selector,
        ports: [{ name: 'api', port: MINIO_API_PORT, targetPort: k8s.IntOrString.fromString('api'), protocol: 'TCP' }],
      },
    });

    new k8s.KubeService(this, 'client', {
      metadata: { name },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' })),
      },
    });

    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name },
      spec: {
        serviceName: SERVICE_NAMES.minioHeadless,
        replicas: env.apps.minio.replicas,
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: podLabels(env, name) },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurityContext(MINIO_USER),
            terminationGracePeriodSeconds: 60,
            ...workerPlacement(name),
            containers: [
              {
                name,
                image: imageRef(env.apps.images.minio),
                imagePullPolicy: 'IfNotPresent',
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
                env: [
                  secretEnv('MINIO_ROOT_USER', MINIO_CREDENTIALS_SECRET, 'rootUser'),
                  secretEnv('MINIO_ROOT_PASSWORD', MINIO_CREDENTIALS_SECRET, 'rootPassword'),
                  ...envVars(notifyEnv(env)),
                  ...envVars(metricsEnv(env)),
                ],
                ports,
                readinessProbe: httpProbe('/minio/health/ready', MINIO_API_PORT, 3),
                livenessProbe: httpProbe('/minio/health/live', MINIO_API_PORT, 6),
                resources: resources(RESOURCES.minio),
                securityContext: containerSecurityContext(MINIO_USER),
                volumeMounts: [
                  { name: 'data', mountPath: MINIO_DATA_MOUNT },
                  { name: 'event-queue', mountPath: MINIO_EVENT_QUEUE_MOUNT },
                  ...scratch.mounts,
                ],
              },
            ],
            volumes: scratch.volumes,
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels: podLabels(env, name) },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: quantity(env.apps.minio.storage) } },
            },
          },
          {
            metadata: { name: 'event-queue', labels: podLabels(env, name) },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: quantity('1Gi') } },
            },
          },
        ],
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: { name },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
}
