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
