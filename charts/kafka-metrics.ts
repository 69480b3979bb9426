// Series that the JMX exporter agent in every Kafka broker serves (apps/kafka/jmx-exporter.yaml's rules name them) and
// that the alerts and dashboards read; test/integration/kafka-metrics.test.ts finds each on real brokers.
export const KAFKA_BROKER_METRICS = {
  /** Gauge per partition, labels topic and partition: 1 on the partition's leader while a replica is out of sync. */
  partitionUnderReplicated: 'kafka_cluster_partition_underreplicated',
  /** Gauge per partition, labels topic and partition: 1 on the leader while fewer replicas than min.insync.replicas are in sync. */
  partitionUnderMinIsr: 'kafka_cluster_partition_underminisr',
  /** Gauge of each KRaft controller: partitions of the whole cluster without a leader. */
  offlinePartitions: 'kafka_controller_kafkacontroller_offlinepartitionscount',
  /** Gauge of each KRaft controller: 1 on the active one. */
  activeController: 'kafka_controller_kafkacontroller_activecontrollercount',
  /** Gauge per broker: partitions it leads that are under-replicated. */
  brokerUnderReplicatedPartitions: 'kafka_server_replicamanager_underreplicatedpartitions',
  /** Counter per broker, label topic: bytes producers wrote to the partitions it leads. */
  bytesIn: 'kafka_server_brokertopicmetrics_bytesin_total',
  /** Counter per broker, label topic: bytes consumers and followers read from it. */
  bytesOut: 'kafka_server_brokertopicmetrics_bytesout_total',
  /** Counter per broker, label topic: messages producers wrote to the partitions it leads. */
  messagesIn: 'kafka_server_brokertopicmetrics_messagesin_total',
} as const;
