// Configuration of the setup job: which topics, buckets and bucket notification to ensure.
import { z } from 'zod';
import { defaultBuckets } from '../../contracts/buckets';
import { commonEnv, jsonOf, kafkaEnv, minioEnv, nameList } from '../lib/config';
import { minioKafkaArn } from '../lib/setup';

const topicSpec = z.object({
  partitions: z.number().int().positive(),
  replication: z.number().int().positive(),
});

// MinIO's limits for a user: an access key of at least 3 characters, a secret key of 8–40 (the deploy step makes 40).
const accessKey = z.string().regex(/^[A-Za-z0-9._-]{3,128}$/, { error: 'must be 3–128 letters, digits, ".", "_" or "-"' });
const secretKey = z.string().min(8, { error: 'must be at least 8 characters' }).max(40, { error: 'must be at most 40 characters' });

export const setupEnv = z
  .object({
  ...commonEnv.shape,
  ...kafkaEnv.shape,
  ...minioEnv.shape,
  /** JSON object: topic name → {partitions, replication}. */
  TOPICS: jsonOf(z.record(z.string().min(1), topicSpec)),
  /** Comma list of buckets to create. */
  BUCKETS: nameList,
  /** Bucket whose new objects are announced on Kafka. */
  NOTIFY_BUCKET: z.string().min(1).default(defaultBuckets.uploads),
  /** Notification target the bucket sends to (MinIO's Kafka target PRIMARY). */
  NOTIFY_ARN: z.string().regex(/^arn:minio:sqs:/, { error: 'must be a MinIO ARN such as arn:minio:sqs::PRIMARY:kafka' }).default(minioKafkaArn),
  /** How often to try each step while Kafka or MinIO are still starting. */
  SETUP_ATTEMPTS: z.coerce.number().int().positive().default(30),
  /** Bucket of the renditions, for the apps' policies (the uploads bucket is NOTIFY_BUCKET). */
  PROCESSED_BUCKET: z.string().min(1).default(defaultBuckets.processed),
  /** Bucket of the lake, for the lake sink's policy. */
  LAKE_BUCKET: z.string().min(1).default(defaultBuckets.lake),
  /** The processor's own MinIO identity; setup creates it with its policy when both are set. */
  MINIO_PROCESSOR_ACCESS_KEY: accessKey.optional(),
  MINIO_PROCESSOR_SECRET_KEY: secretKey.optional(),
  /** The API's own MinIO identity; setup creates it with its policy when both are set. */
  MINIO_API_ACCESS_KEY: accessKey.optional(),
  MINIO_API_SECRET_KEY: secretKey.optional(),
  /** The lake sink's own MinIO identity; setup creates it with its policy when both are set. */
  MINIO_LAKE_SINK_ACCESS_KEY: accessKey.optional(),
  MINIO_LAKE_SINK_SECRET_KEY: secretKey.optional(),
  /** The report job's own MinIO identity; setup creates it with its policy when both are set. */
  MINIO_REPORT_ACCESS_KEY: accessKey.optional(),
  MINIO_REPORT_SECRET_KEY: secretKey.optional(),
  })
  .superRefine((c, ctx) => {
    for (const app of ['PROCESSOR', 'API', 'LAKE_SINK', 'REPORT'] as const) {
      const [key, secret] = [c[`MINIO_${app}_ACCESS_KEY`], c[`MINIO_${app}_SECRET_KEY`]];
      if ((key === undefined) !== (secret === undefined)) {
        const missing = key === undefined ? `MINIO_${app}_ACCESS_KEY` : `MINIO_${app}_SECRET_KEY`;
        ctx.addIssue({ code: 'custom', path: [missing], message: `is required with MINIO_${app}_${key === undefined ? 'SECRET' : 'ACCESS'}_KEY` });
      }
      if (key !== undefined && key === c.MINIO_ACCESS_KEY) {
        ctx.addIssue({ code: 'custom', path: [`MINIO_${app}_ACCESS_KEY`], message: 'must not be the root user' });
      }
    }
  });

export type SetupConfig = z.infer<typeof setupEnv>;
