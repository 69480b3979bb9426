// Configuration of the setup job: which topics, buckets and bucket notification to ensure.
import { z } from 'zod';
import { commonEnv, jsonOf, kafkaEnv, minioEnv, nameList } from '../lib/config';
import { minioKafkaArn } from '../lib/setup';

const topicSpec = z.object({
  partitions: z.number().int().positive(),
  replication: z.number().int().positive(),
});

export const setupEnv = z.object({
  ...commonEnv.shape,
  ...kafkaEnv.shape,
  ...minioEnv.shape,
  /** JSON object: topic name → {partitions, replication}. */
  TOPICS: jsonOf(z.record(z.string().min(1), topicSpec)),
  /** Comma list of buckets to create. */
  BUCKETS: nameList,
  /** Bucket whose new objects are announced on Kafka. */
  NOTIFY_BUCKET: z.string().min(1).default('uploads'),
  /** Notification target the bucket sends to (MinIO's Kafka target PRIMARY). */
  NOTIFY_ARN: z.string().regex(/^arn:minio:sqs:/, { error: 'must be a MinIO ARN such as arn:minio:sqs::PRIMARY:kafka' }).default(minioKafkaArn),
  /** How often to try each step while Kafka or MinIO are still starting. */
  SETUP_ATTEMPTS: z.coerce.number().int().positive().default(30),
});

export type SetupConfig = z.infer<typeof setupEnv>;
