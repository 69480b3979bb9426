// Renders the server.properties of one test-bed Kafka node (KRaft, combined broker + controller, loopback only).
import { randomBytes } from 'node:crypto';

/** Ports of one node: clients talk to `broker`, the quorum to `controller`. */
export interface NodePorts {
  broker: number;
  controller: number;
}

/** The `controller.quorum.voters` value: every node votes, ids start at 1. */
export function quorumVoters(nodes: readonly NodePorts[]): string {
  return nodes.map((n, i) => `${i + 1}@127.0.0.1:${n.controller}`).join(',');
}

/** server.properties text of node `index` (0-based) of a cluster of `nodes`, storing its data in `dataDir`. */
export function serverProperties(nodes: readonly NodePorts[], index: number, dataDir: string): string {
  const self = nodes[index];
  if (!self) throw new Error(`node index ${index} is outside a cluster of ${nodes.length}`);
  const replication = Math.min(3, nodes.length);
  const properties: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': index + 1,
    'controller.quorum.voters': quorumVoters(nodes),
    listeners: `PLAINTEXT://127.0.0.1:${self.broker},CONTROLLER://127.0.0.1:${self.controller}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${self.broker}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': dataDir,
    // Tests create every topic they use; a typo must fail instead of creating a stray topic.
    'auto.create.topics.enable': false,
    'num.partitions': 1,
    'default.replication.factor': replication,
    'min.insync.replicas': replication > 1 ? 2 : 1,
    'offsets.topic.replication.factor': replication,
    'offsets.topic.num.partitions': 5,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': replication > 1 ? 2 : 1,
    'transaction.state.log.num.partitions': 5,
    // A consumer group should start consuming at once, not wait 3 s for more members.
    'group.initial.rebalance.delay.ms': 0,
    // A killed broker is declared dead after 4 s instead of 9 s, so leadership moves quickly in chaos tests.
    'broker.heartbeat.interval.ms': 500,
    'broker.session.timeout.ms': 4_000,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'log.segment.bytes': 16 * 1024 * 1024,
    'log.retention.check.interval.ms': 60_000,
    'delete.topic.enable': true,
  };
  return `${Object.entries(properties)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('\n')}\n`;
}

/**
 * A random KRaft cluster id: 16 random bytes, base64url without padding (the format Kafka's Uuid prints).
 * Like Kafka's own Uuid.randomUuid, never one starting with "-", which the storage tool reads as an option.
 */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
