// Consumer lag per group and partition, and the partition health of the topics, as Prometheus gauges from the admin client.
import type { Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import { APP_METRICS } from './metric-names';

/** A partition's committed offset (-1 when the group has none) and its end offsets. */
export interface PartitionOffsets {
  partition: number;
  committed: number;
  low: number;
  high: number;
}

/** Messages of a partition the group has not committed yet: all that are kept when it has no committed offset. */
export function partitionLag(p: PartitionOffsets): number {
  return Math.max(0, p.high - (p.committed < 0 ? p.low : p.committed));
}

/** The offsets of every partition of `topic` for `groupId`. */
async function groupOffsets(admin: Admin, groupId: string, topic: string): Promise<PartitionOffsets[]> {
  const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
  const at = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.map((end) => ({ partition: end.partition, committed: at.get(end.partition) ?? -1, low: Number(end.low), high: Number(end.high) }));
}

/** Messages of `topic` the group has not committed yet, over all partitions. */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  return (await groupOffsets(admin, groupId, topic)).reduce((sum, p) => sum + partitionLag(p), 0);
}

/** A partition as the metadata describes it. */
export interface PartitionReplicas {
  leader: number;
  replicas: readonly number[];
  isr: readonly number[];
}

/** Partitions without a leader (offline) and with fewer in-sync replicas than replicas (under-replicated). */
export function partitionHealth(partitions: readonly PartitionReplicas[]): { offline: number; underReplicated: number } {
  return {
    offline: partitions.filter((p) => p.leader < 0).length,
    underReplicated: partitions.filter((p) => p.isr.length < p.replicas.length).length,
  };
}

export interface KafkaMetricsOptions {
  /** Consumer groups and the topic each consumes: one lag series per partition. */
  groups: readonly { groupId: string; topic: string }[];
  /** Also export the partition health of every topic of the cluster (one app of the pipeline does). */
  partitionHealth?: boolean;
}

/** Registers the gauges and returns the refresh that reads Kafka and sets them (run it periodically). */
export function createKafkaMetrics(registry: Registry, admin: Admin, options: KafkaMetricsOptions): { refresh(): Promise<void> } {
  const lag = new Gauge({
    name: APP_METRICS.consumerLag,
    help: 'Messages of a partition the consumer group has not committed yet, at the last refresh',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
  });
  const underReplicated = new Gauge({
    name: APP_METRICS.underReplicatedPartitions,
    help: 'Partitions of a topic with fewer in-sync replicas than replicas, at the last refresh',
    labelNames: ['topic'],
    registers: options.partitionHealth ? [registry] : [],
  });
  const offline = new Gauge({
    name: APP_METRICS.offlinePartitions,
    help: 'Partitions of a topic without a leader, at the last refresh',
    labelNames: ['topic'],
    registers: options.partitionHealth ? [registry] : [],
  });
  return {
    async refresh() {
      for (const { groupId, topic } of options.groups) {
        for (const p of await groupOffsets(admin, groupId, topic)) {
          lag.set({ group: groupId, topic, partition: String(p.partition) }, partitionLag(p));
        }
      }
      if (!options.partitionHealth) return;
      const { topics } = await admin.fetchTopicMetadata();
      for (const t of topics) {
        const health = partitionHealth(t.partitions.map((p) => ({ leader: p.leader, replicas: p.replicas, isr: p.isr })));
        offline.set({ topic: t.name }, health.offline);
        underReplicated.set({ topic: t.name }, health.underReplicated);
      }
    },
  };
}
