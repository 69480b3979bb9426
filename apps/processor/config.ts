// The processor's configuration from environment variables; defaults of limits and renditions come from the model.
import { z } from 'zod';
import { appsSchema } from '../../config/schema';
import { commonEnv, jsonOf, kafkaEnv, minioEnv, positiveInt, readConfig } from '../lib/config';
import { renditionsSchema } from './rendition';

const modelDefaults = appsSchema.shape.processor.unwrap().parse({});

export const processorEnv = commonEnv
  .extend(kafkaEnv.shape)
  .extend(minioEnv.shape)
  .extend({
    /** Topic MinIO publishes bucket notifications to. */
    SOURCE_TOPIC: z.string().min(1).default('minio-events'),
    /** Topic for events that cannot be processed, with the reason. */
    DLQ_TOPIC: z.string().min(1).default('minio-events.dlq'),
    PROCESSED_BUCKET: z.string().min(1).default('processed'),
    /** Topic each upload's renditions are announced on (`results`: the API's image index reads it); unset: none. */
    RESULTS_TOPIC: z.string().min(1).optional(),
    /** Bucket whose uploads the reconciler compares with their renditions (the bucket MinIO notifies about). */
    UPLOADS_BUCKET: z.string().min(1).default('uploads'),
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
    /** How often the consumer lag and partition health on /metrics are read from Kafka. */
    LAG_METRICS_INTERVAL_MS: positiveInt.default(15_000),
    /** JSON array of {name, size, format}. */
    RENDITIONS: jsonOf(renditionsSchema).default(modelDefaults.renditions),
    MAX_PIXELS: positiveInt.default(modelDefaults.maxPixels),
    MAX_BYTES: positiveInt.default(modelDefaults.maxBytes),
    GROUP_ID: z.string().min(1).default('processor'),
    /** Objects processed at once, across all partitions. */
    CONCURRENCY: positiveInt.default(2),
    /** How long the group waits for a silent member before moving its partitions (kafkajs default 30 s). */
    SESSION_TIMEOUT_MS: positiveInt.default(30_000),
    /** Address of the ops server: all interfaces in a pod, 127.0.0.1 in tests. */
    OPS_HOST: z.string().min(1).default('0.0.0.0'),
  });

export type ProcessorConfig = z.infer<typeof processorEnv>;

/** Reads and validates the processor's environment; the error names each bad variable. */
export const readProcessorConfig = (env: NodeJS.ProcessEnv = process.env): ProcessorConfig => readConfig(processorEnv, env);
