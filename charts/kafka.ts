// Kafka in KRaft mode: a StatefulSet of combined broker/controller pods on the project's Kafka image, its shared
// server.properties, its Services and PDB.
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import { RESOURCES, envVars, tcpProbe } from './defaults';
import { KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT, KAFKA_METRICS_PORT, SERVICE_NAMES } from './endpoints';
import { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';
import { KAFKA_CONFIG_FILE, KAFKA_CONFIG_MOUNT, KAFKA_DATA_MOUNT, brokerEnv, brokerStartScript, serverPropertiesText } from './kafka-config';
import { KAFKA_USER } from './kafka-image';
import { StatefulService } from './stateful-service';

/** The Kafka cluster (image, replicas, storage from the model); the setup chart creates its topics. */
export class KafkaChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    const { env } = this;
    const name = SERVICE_NAMES.kafka;
    const properties = serverPropertiesText(env);

    const config = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name },
      data: { [KAFKA_CONFIG_FILE]: properties },
    });

    new StatefulService(this, 'brokers', {
      env,
      name,
      headlessServiceName: SERVICE_NAMES.kafkaHeadless,
      replicas: env.apps.kafka.replicas,
      image: env.apps.images.kafka,
      user: KAFKA_USER,
      ports: { client: KAFKA_CLIENT_PORT, controller: KAFKA_CONTROLLER_PORT, metrics: KAFKA_METRICS_PORT },
      headlessPorts: ['client', 'controller'],
      clientPorts: ['client'],
      command: ['bash', '-c', brokerStartScript(env)],
      variables: envVars(brokerEnv(env)),
      readinessProbe: tcpProbe(KAFKA_CLIENT_PORT, 3),
      livenessProbe: tcpProbe(KAFKA_CONTROLLER_PORT, 6, 60),
      resources: RESOURCES.kafka,
      // The JVM's performance data goes to the scratch /tmp; everything else the broker writes is on its volume.
      persistentVolumes: [{ name: 'data', mountPath: KAFKA_DATA_MOUNT, storage: env.apps.kafka.storage }],
      volumes: [{ name: 'config', configMap: { name: config.name } }],
      volumeMounts: [{ name: 'config', mountPath: KAFKA_CONFIG_MOUNT, readOnly: true }],
      // A ConfigMap change alone restarts no pod: its hash in the template makes it a rolling update.
      podAnnotations: { 'wolke.dev/config-sha256': createHash('sha256').update(properties).digest('hex').slice(0, 16) },
    });
  }
}
