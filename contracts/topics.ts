// Names of the Kafka topics the apps exchange messages on; the model lists their partitions and replication under these names.

export const topics = {
  /** Sensor readings from the producer (key: sensor id). */
  events: 'events',
  /** Window averages from the aggregator and rendition announcements from the processor. */
  results: 'results',
  /** Readings the detector judged abnormal. */
  anomalies: 'anomalies',
  /** MinIO's bucket notifications of uploads. */
  minioEvents: 'minio-events',
  /** Notifications the processor cannot process, with the reason. */
  minioEventsDlq: 'minio-events.dlq',
  /** Records the lake sink cannot write. */
  lakeDlq: 'lake.dlq',
} as const;

export type TopicName = (typeof topics)[keyof typeof topics];
