// Names of the metrics that alerts and dashboards read: the apps register them under these names, the rules import them.

/** Series the wolke apps export on /metrics. */
export const APP_METRICS = {
  /** Gauge: messages of a partition the consumer group has not committed, labels group, topic, partition. */
  consumerLag: 'kafka_consumergroup_lag',
  /** Gauge: partitions of a topic with fewer in-sync replicas than replicas, label topic (the cluster as an app sees it). */
  underReplicatedPartitions: 'kafka_topic_under_replicated_partitions',
  /** Gauge: partitions of a topic without a leader, label topic. */
  offlinePartitions: 'kafka_topic_offline_partitions',
  /** Counter: uploaded objects handled by the processor, label result. */
  processorObjects: 'processor_objects_total',
  /** Counter: messages the processor sent to the dead-letter topic, label reason. */
  processorDeadLetters: 'processor_dead_letters_total',
  /** Counter: processor attempts that failed transiently and were retried. */
  processorTransientFailures: 'processor_transient_failures_total',
  /** Gauge: 1 while MinIO refuses the processor. */
  processorStorageRefused: 'processor_storage_refused',
  /** Counter: HTTP requests the api answered, labels method, route, status. */
  apiRequests: 'api_http_requests_total',
  /** Histogram: time the api took to answer, labels method, route. */
  apiRequestSeconds: 'api_http_request_duration_seconds',
} as const;
