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
  /** Counter: renditions the processor wrote, label rendition. */
  processorRenditions: 'processor_renditions_total',
  /** Histogram: time the processor took for one object, label result. */
  processorObjectSeconds: 'processor_object_duration_seconds',
  /** Counter: sensor events Kafka acknowledged to the producer. */
  producerEventsSent: 'producer_events_sent_total',
  /** Counter: sensor events the aggregator read. */
  aggregatorEventsConsumed: 'aggregator_events_consumed_total',
  /** Counter: window results the aggregator wrote to the results topic. */
  aggregatorResultsProduced: 'aggregator_results_produced_total',
  /** Gauge: average of the last closed window, label sensor. */
  aggregatorWindowAverage: 'aggregator_window_average',
  /** Counter: sensor events the detector read. */
  detectorEventsConsumed: 'detector_events_consumed_total',
  /** Counter: anomalies the detector wrote to the anomalies topic, label sensor. */
  detectorAnomalies: 'detector_anomalies_total',
  /** Counter: records the lake sink wrote as Parquet, label topic. */
  lakeRecordsWritten: 'lake_records_written_total',
} as const;

/** The APP_METRICS that are histograms: Prometheus stores them as <name>_bucket, _sum and _count. */
export const APP_HISTOGRAMS: readonly string[] = [APP_METRICS.apiRequestSeconds, APP_METRICS.processorObjectSeconds];
