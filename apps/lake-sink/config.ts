// Environment of the lake sink: Kafka, MinIO, the topics it archives, the lake bucket, the dead-letter topic and the roll limits.
import { z } from 'zod';
import { defaultBuckets } from '../../contracts/buckets';
import { consumerGroups } from '../../contracts/consumer-groups';
import { topics } from '../../contracts/topics';
import { commonEnv, groupMemberEnv, kafkaEnv, lagMetricsEnv, minioEnv, positiveInt } from '../lib/config';

export const lakeSinkEnv = z.object({
  ...commonEnv.shape,
  ...kafkaEnv.shape,
  ...lagMetricsEnv.shape,
  ...groupMemberEnv.shape,
  ...minioEnv.shape,
  EVENTS_TOPIC: z.string().min(1).default(topics.events),
  RESULTS_TOPIC: z.string().min(1).default(topics.results),
  ANOMALIES_TOPIC: z.string().min(1).default(topics.anomalies),
  /** Bucket of the lake; the sink writes Parquet files under topic=…/date=…/hour=…/. */
  LAKE_BUCKET: z.string().min(1).default(defaultBuckets.lake),
  /** Topic for records that cannot be written (not JSON, not the topic's record). */
  DLQ_TOPIC: z.string().min(1).default(topics.lakeDlq),
  GROUP_ID: z.string().min(1).default(consumerGroups['lake-sink']),
  /** A file rolls once its records reach this many bytes of JSON: memory is at most about this per partition. */
  ROLL_BYTES: positiveInt.default(2 * 1024 * 1024),
  /** A file rolls once it has been open this long, so the lake is at most this far behind. */
  ROLL_MS: positiveInt.default(60_000),
});

export type LakeSinkConfig = z.infer<typeof lakeSinkEnv>;
