// Kafka's dashboard: the brokers' JMX exporter and the apps' view (traffic per topic, partition health, consumer lag).
import { APP_METRICS as M } from '../../apps/lib/metric-names';
import { THRESHOLDS } from '../alert-rules';
import { KAFKA_BROKER_METRICS as K } from '../kafka-metrics';
import type { DashboardSpec } from './panel';
import type { NamespaceQueries } from './queries';

/** Kafka's dashboard, its queries scoped by `q` to one namespace. */
export function kafkaDashboard(q: NamespaceQueries): DashboardSpec {
  const { sel, rate, lagByPartition } = q;
  return {
    title: 'Kafka',
    description: "Kafka's brokers (their JMX exporter agent) and the apps' view: traffic per topic, partition health, consumer lag.",
    panels: [
      {
        title: 'Messages written per topic',
        description: 'Messages producers wrote, counted by the leader of each partition.',
        unit: 'ops',
        queries: [{ expr: `sum by (topic) (${rate(K.messagesIn)})`, legend: '{{topic}}' }],
      },
      {
        title: 'Broker traffic',
        description: 'Bytes producers wrote and consumers and followers read, all brokers together.',
        unit: 'Bps',
        queries: [
          { expr: `sum(${rate(K.bytesIn)})`, legend: 'in' },
          { expr: `sum(${rate(K.bytesOut)})`, legend: 'out' },
        ],
      },
      {
        title: 'Partitions short of replicas (brokers)',
        description: 'Partitions whose leader reports them under-replicated or under min.insync.replicas (KafkaUnderReplicatedPartitions).',
        unit: 'short',
        queries: [
          { expr: `sum(${sel(K.partitionUnderReplicated)})`, legend: 'under-replicated' },
          { expr: `sum(${sel(K.partitionUnderMinIsr)})`, legend: 'under min ISR' },
        ],
      },
      {
        title: 'Controllers',
        description: 'Partitions without a leader as the KRaft controllers count them (KafkaOfflinePartitions), and the active controllers (1 when healthy).',
        unit: 'short',
        queries: [
          { expr: `max(${sel(K.offlinePartitions)})`, legend: 'offline partitions' },
          { expr: `sum(${sel(K.activeController)})`, legend: 'active controllers' },
        ],
      },
      { title: 'Consumer lag per group', description: 'Messages not yet committed, summed over the partitions.', unit: 'short', queries: [{ expr: `sum by (group, topic) (${lagByPartition()})`, legend: '{{group}} on {{topic}}' }], threshold: THRESHOLDS.consumerLag },
      { title: 'Consumer lag per partition', description: 'Messages not yet committed in each partition.', unit: 'short', queries: [{ expr: lagByPartition(), legend: '{{group}} {{topic}}/{{partition}}' }] },
      {
        title: 'Partition health as the apps see it',
        description: "Partitions without enough in-sync replicas or without a leader, by topic, from the processor's metadata reads.",
        unit: 'short',
        queries: [
          { expr: `max by (topic) (${sel(M.underReplicatedPartitions)})`, legend: 'under-replicated {{topic}}' },
          { expr: `max by (topic) (${sel(M.offlinePartitions)})`, legend: 'offline {{topic}}' },
        ],
      },
    ],
  };
}
