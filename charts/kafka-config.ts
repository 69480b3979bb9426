// Pure configuration of the KRaft Kafka cluster: quorum voters, cluster id and the broker settings.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Environment } from '../config/schema';
import { KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT, KAFKA_METRICS_PORT, SERVICE_NAMES, serviceHost, statefulPodHost } from './endpoints';
import { KAFKA_IMAGE_FILES } from './kafka-image';

/** Where the brokers keep their logs: a directory below the volume's root, which may hold lost+found. */
export const KAFKA_DATA_MOUNT = '/var/lib/kafka/data';

/** `controller.quorum.voters`: every pod is a voter, addressed by its stable headless DNS name. */
export function quorumVoters(env: Environment): string {
  return Array.from(
    { length: env.apps.kafka.replicas },
    (_, i) => `${i}@${statefulPodHost(env, SERVICE_NAMES.kafka, SERVICE_NAMES.kafkaHeadless, i)}:${KAFKA_CONTROLLER_PORT}`,
  ).join(',');
}

/**
 * The KRaft cluster id (16 bytes, base64url): derived from the environment name so that re-synthesizing
 * never changes it, while two environments never share one.
 */
export function clusterId(env: Environment): string {
  return createHash('sha256').update(`wolke/kafka/${env.name}`).digest().subarray(0, 16).toString('base64url');
}

/** Replication of Kafka's internal topics: three copies where there are three brokers. */
export function internalReplication(env: Environment): number {
  return Math.min(3, env.apps.kafka.replicas);
}

/** Where the ConfigMap's server.properties is mounted (read-only). */
export const KAFKA_CONFIG_MOUNT = '/etc/kafka';

/** Name of the file in the ConfigMap and its mount. */
export const KAFKA_CONFIG_FILE = 'server.properties';

/**
 * server.properties of every broker (a ConfigMap): KRaft combined mode, the quorum, listeners and replication. What
 * differs per pod (node.id, the advertised name) and where the data lives, the start script adds.
 */
export function serverProperties(env: Environment): Record<string, string> {
  const replication = internalReplication(env);
  const minInSync = String(Math.max(1, replication - 1));
  return {
    'process.roles': 'broker,controller',
    'controller.quorum.voters': quorumVoters(env),
    listeners: `PLAINTEXT://:${KAFKA_CLIENT_PORT},CONTROLLER://:${KAFKA_CONTROLLER_PORT}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    // The setup job creates the model's topics; a typo in an app must fail instead of creating a stray topic.
    'auto.create.topics.enable': 'false',
    'offsets.topic.replication.factor': String(replication),
    'transaction.state.log.replication.factor': String(replication),
    'transaction.state.log.min.isr': minInSync,
    'min.insync.replicas': minInSync,
  };
}

/** The properties as the file's text, one `key=value` a line. */
export function serverPropertiesText(env: Environment): string {
  return `${Object.entries(serverProperties(env)).map(([key, value]) => `${key}=${value}`).join('\n')}\n`;
}

/** Variables of the broker container that the start script reads (KAFKA_HOME comes from the image). */
export function brokerEnv(env: Environment): Record<string, string> {
  return {
    CLUSTER_ID: clusterId(env),
    KAFKA_CONFIG: posix.join(KAFKA_CONFIG_MOUNT, KAFKA_CONFIG_FILE),
    KAFKA_DATA_DIR: KAFKA_DATA_MOUNT,
    KAFKA_HEAP_OPTS: '-Xms512m -Xmx768m',
  };
}

/**
 * The container's command, run by bash in the project's Kafka image: node.id and the advertised listener depend on
 * the pod (`kafka-2` → node.id 2), so the script writes the pod's server.properties onto its volume from the shared
 * one, formats the volume on first start (KRaft needs the cluster id on disk) and runs the broker with the JMX
 * exporter agent on the metrics port. Every path comes from the image's KAFKA_HOME or a variable of brokerEnv.
 */
export function brokerStartScript(env: Environment): string {
  const headless = serviceHost(env, SERVICE_NAMES.kafkaHeadless);
  const home = (file: keyof typeof KAFKA_IMAGE_FILES) => `$KAFKA_HOME/${KAFKA_IMAGE_FILES[file]}`;
  const classpath = `-cp "${home('libs')}/*"`;
  const logging = `-Dlog4j2.configurationFile="${home('logConfig')}"`;
  return [
    'set -eu',
    'config="$KAFKA_DATA_DIR/server.properties"',
    '{',
    '  cat "$KAFKA_CONFIG"',
    '  echo "node.id=${HOSTNAME##*-}"',
    `  echo "advertised.listeners=PLAINTEXT://\${HOSTNAME}.${headless}:${KAFKA_CLIENT_PORT}"`,
    '  echo "log.dirs=$KAFKA_DATA_DIR/logs"',
    '} > "$config"',
    `java ${logging} ${classpath} kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID" --config "$config" --ignore-formatted`,
    // Kafka's own start script (kafka-run-class.sh) runs the broker with these collector settings.
    'exec java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \\',
    `  -Djava.awt.headless=true ${logging} \\`,
    `  -javaagent:"${home('exporterAgent')}=${KAFKA_METRICS_PORT}:${home('exporterConfig')}" \\`,
    `  ${classpath} kafka.Kafka "$config"`,
  ].join('\n');
}

/** TOPICS of the setup job: every topic of the model with its partitions and replication. */
export function topicsJson(env: Environment): string {
  return JSON.stringify(env.apps.topics);
}
