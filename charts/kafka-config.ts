// Pure configuration of the KRaft Kafka cluster: quorum voters, cluster id and the broker settings.
import { createHash } from 'node:crypto';
import type { Environment } from '../config/schema';
import { KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT, SERVICE_NAMES, serviceHost, statefulPodHost } from './endpoints';

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

/** KAFKA_* variables that the apache/kafka image turns into server.properties (same for every pod). */
export function brokerEnv(env: Environment): Record<string, string> {
  const replication = internalReplication(env);
  const minInSync = String(Math.max(1, replication - 1));
  return {
    CLUSTER_ID: clusterId(env),
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: `PLAINTEXT://:${KAFKA_CLIENT_PORT},CONTROLLER://:${KAFKA_CONTROLLER_PORT}`,
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
    KAFKA_CONTROLLER_QUORUM_VOTERS: quorumVoters(env),
    KAFKA_LOG_DIRS: `${KAFKA_DATA_MOUNT}/logs`,
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: String(replication),
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: String(replication),
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: minInSync,
    KAFKA_MIN_INSYNC_REPLICAS: minInSync,
    KAFKA_HEAP_OPTS: '-Xms512m -Xmx768m',
  };
}

/**
 * The container command: node.id and the advertised listener depend on the pod, which the image cannot
 * know, so a shell derives them from the hostname (`kafka-2` → node.id 2) and then runs the image's start script.
 */
export function brokerStartScript(env: Environment): string {
  const headless = serviceHost(env, SERVICE_NAMES.kafkaHeadless);
  return [
    'export KAFKA_NODE_ID="${HOSTNAME##*-}"',
    `export KAFKA_ADVERTISED_LISTENERS="PLAINTEXT://\${HOSTNAME}.${headless}:${KAFKA_CLIENT_PORT}"`,
    'exec /etc/kafka/docker/run',
  ].join('\n');
}

/** TOPICS of the setup job: every topic of the model with its partitions and replication. */
export function topicsJson(env: Environment): string {
  return JSON.stringify(env.apps.topics);
}
