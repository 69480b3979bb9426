// Kafka in KRaft mode: a StatefulSet of combined broker/controller pods on the project's Kafka image, its shared
// server.properties, its Services and PDB.
import { createHash } from 'node:crypto';
import { Chart, type ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import {
  RESOURCES,
  containerSecurityContext,
  envVars,
  imageRef,
  podLabels,
  podSecurityContext,
  resources,
  scratchDirectories,
  selectorLabels,
  tcpProbe,
  workerPlacement,
} from './defaults';
import { KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT, KAFKA_METRICS_PORT, SERVICE_NAMES } from './endpoints';
import { quantity } from './quantity';
import { KAFKA_CONFIG_FILE, KAFKA_CONFIG_MOUNT, KAFKA_DATA_MOUNT, brokerEnv, brokerStartScript, serverPropertiesText } from './kafka-config';
import { KAFKA_USER } from './kafka-image';

export interface KafkaChartProps extends ChartProps {
  /** The environment: Kafka image, replicas, storage and topics. */
  readonly env: Environment;
}

/** The Kafka cluster; the setup chart creates its topics. */
export class KafkaChart extends Chart {
  constructor(scope: Construct, id: string, props: KafkaChartProps) {
    super(scope, id, props);
    const { env } = props;
    const name = SERVICE_NAMES.kafka;
    const selector = selectorLabels(name);
    const ports = [
      { name: 'client', containerPort: KAFKA_CLIENT_PORT, protocol: 'TCP' },
      { name: 'controller', containerPort: KAFKA_CONTROLLER_PORT, protocol: 'TCP' },
    ];
    // The JVM's performance data goes to /tmp; everything else the broker writes is on its volume.
    const scratch = scratchDirectories({ tmp: '/tmp' });
    const properties = serverPropertiesText(env);

    const config = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name },
      data: { [KAFKA_CONFIG_FILE]: properties },
    });

    new k8s.KubeService(this, 'headless', {
      metadata: { name: SERVICE_NAMES.kafkaHeadless },
      spec: {
        clusterIp: 'None',
        // Controllers must find each other by DNS before any of them is ready, or the quorum never forms.
        publishNotReadyAddresses: true,
        selector,
        ports: ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: k8s.IntOrString.fromString(p.name), protocol: 'TCP' })),
      },
    });

    new k8s.KubeService(this, 'client', {
      metadata: { name },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'client', port: KAFKA_CLIENT_PORT, targetPort: k8s.IntOrString.fromString('client'), protocol: 'TCP' }],
      },
    });

    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name },
      spec: {
        serviceName: SERVICE_NAMES.kafkaHeadless,
        replicas: env.apps.kafka.replicas,
        // All voters start together; ordered start would wait forever for a quorum that needs the later pods.
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: podLabels(env, name),
            // A ConfigMap change alone restarts no pod: its hash in the template makes it a rolling update.
            annotations: { 'wolke.dev/config-sha256': createHash('sha256').update(properties).digest('hex').slice(0, 16) },
          },
          spec: {
            automountServiceAccountToken: false,
            // Service links would add KAFKA_PORT and friends to the broker's environment, which it does not read.
            enableServiceLinks: false,
            securityContext: podSecurityContext(KAFKA_USER),
            terminationGracePeriodSeconds: 60,
            ...workerPlacement(name),
            containers: [
              {
                name,
                image: imageRef(env.apps.images.kafka),
                imagePullPolicy: 'IfNotPresent',
                command: ['bash', '-c', brokerStartScript(env)],
                env: envVars(brokerEnv(env)),
                ports: [...ports, { name: 'metrics', containerPort: KAFKA_METRICS_PORT, protocol: 'TCP' }],
                readinessProbe: tcpProbe(KAFKA_CLIENT_PORT, 3),
                livenessProbe: tcpProbe(KAFKA_CONTROLLER_PORT, 6, 60),
                resources: resources(RESOURCES.kafka),
                securityContext: containerSecurityContext(KAFKA_USER),
                volumeMounts: [
                  { name: 'data', mountPath: KAFKA_DATA_MOUNT },
                  { name: 'config', mountPath: KAFKA_CONFIG_MOUNT, readOnly: true },
                  ...scratch.mounts,
                ],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: config.name } }, ...scratch.volumes],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels: podLabels(env, name) },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: quantity(env.apps.kafka.storage) } },
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
