// The processor's configuration from environment variables; defaults of limits and renditions are the contract's, which the model shares.
import { z } from 'zod';
import { defaultBuckets } from '../../contracts/buckets';
import { consumerGroups } from '../../contracts/consumer-groups';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, defaultRenditions, renditionsSchema } from '../../contracts/renditions';
import { topics } from '../../contracts/topics';
import { commonEnv, groupMemberEnv, jsonOf, kafkaEnv, lagMetricsEnv, minioEnv, positiveInt, readConfig } from '../lib/config';

export const processorEnv = commonEnv
  .extend(kafkaEnv.shape)
  .extend(minioEnv.shape)
  .extend(lagMetricsEnv.shape)
  .extend(groupMemberEnv.shape)
  .extend({
    /** Topic MinIO publishes bucket notifications to. */
    SOURCE_TOPIC: z.string().min(1).default(topics.minioEvents),
    /** Topic for events that cannot be processed, with the reason. */
    DLQ_TOPIC: z.string().min(1).default(topics.minioEventsDlq),
    PROCESSED_BUCKET: z.string().min(1).default(defaultBuckets.processed),
    /** Topic each upload's renditions are announced on (`results`: the API's image index reads it); unset: none. */
    RESULTS_TOPIC: z.string().min(1).optional(),
    /** Bucket whose uploads the reconciler compares with their renditions (the bucket MinIO notifies about). */
    UPLOADS_BUCKET: z.string().min(1).default(defaultBuckets.uploads),
    /** How often the reconciler looks for uploads whose notification was lost. */
    RECONCILE_INTERVAL_MS: positiveInt.default(60_000),
    /** Uploads younger than this are left alone: their notification may still be on its way or queued. */
    RECONCILE_GRACE_MS: positiveInt.default(300_000),
    /** At most this many notifications republished per pass, so a large gap is closed in steps. */
    RECONCILE_MAX_PER_PASS: positiveInt.default(500),
    /** A pass is skipped while the group has more uncommitted messages than this (the gap is likely just queued). */
    RECONCILE_MAX_LAG: z.coerce.number().int().nonnegative().default(100),
    /** How often every processor checks that MinIO accepts it (both buckets), also when no uploads arrive. */
    ACCESS_CHECK_INTERVAL_MS: positiveInt.default(30_000),
    /** JSON array of {name, size, format}. */
    RENDITIONS: jsonOf(renditionsSchema).default(defaultRenditions),
    MAX_PIXELS: positiveInt.default(DEFAULT_MAX_PIXELS),
    MAX_BYTES: positiveInt.default(DEFAULT_MAX_BYTES),
    GROUP_ID: z.string().min(1).default(consumerGroups.processor),
    /** Objects processed at once, across all partitions. */
    CONCURRENCY: positiveInt.default(2),
  });

export type ProcessorConfig = z.infer<typeof processorEnv>;

/** Reads and validates the processor's environment; the error names each bad variable. */
export const readProcessorConfig = (env: NodeJS.ProcessEnv = process.env): ProcessorConfig => readConfig(processorEnv, env);
