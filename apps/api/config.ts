// The API's configuration from environment variables (see the contract in the README).
import { z } from 'zod';
import { DEFAULT_REPORT_PREFIX } from '../../contracts/sensor-report';
import { defaultBuckets } from '../../contracts/buckets';
import { consumerGroups } from '../../contracts/consumer-groups';
import { DEFAULT_MAX_BYTES } from '../../contracts/renditions';
import { topics } from '../../contracts/topics';
import { commonEnv, httpUrl, kafkaEnv, minioEnv, positiveInt, readConfig } from '../lib/config';

const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' });

export const apiEnv = commonEnv
  .extend(kafkaEnv.shape)
  .extend(minioEnv.shape)
  .extend({
    RESULTS_TOPIC: z.string().min(1).default(topics.results),
    UPLOADS_BUCKET: bucketName.default(defaultBuckets.uploads),
    PROCESSED_BUCKET: bucketName.default(defaultBuckets.processed),
    /** The MinIO URL browsers reach; presigned URLs are signed for this host. Defaults to MINIO_ENDPOINT. */
    MINIO_PUBLIC_ENDPOINT: httpUrl.optional(),
    /** Prefix of this instance's consumer group; the instance appends its host name and a random suffix. */
    GROUP_ID: z.string().min(1).default(consumerGroups.api),
    /** Messages per partition of RESULTS_TOPIC replayed at start. */
    RESULTS_BACKLOG: positiveInt.default(200),
    /** Largest upload the API signs a URL for, in bytes; set it to the processor's MAX_BYTES. */
    MAX_UPLOAD_BYTES: positiveInt.default(DEFAULT_MAX_BYTES),
    /** Lifetime of presigned URLs, in seconds. */
    URL_EXPIRY_SECONDS: positiveInt.max(7 * 24 * 3600).default(300),
    /**
     * How often the in-memory index of the processed bucket is listed in full again, to catch a lost announcement or a
     * deleted rendition; between listings the processor's announcements on RESULTS_TOPIC keep it fresh.
     */
    IMAGES_REPAIR_INTERVAL_MS: positiveInt.default(300_000),
    /** How often the API checks that MinIO lets it read the processed bucket, also while no request comes. */
    ACCESS_CHECK_INTERVAL_MS: positiveInt.default(30_000),
    /** Topic of the detector's anomalies, served by /anomalies. */
    ANOMALIES_TOPIC: z.string().min(1).default(topics.anomalies),
    /** Messages per partition of ANOMALIES_TOPIC replayed at start. */
    ANOMALIES_BACKLOG: positiveInt.default(200),
    /** Anomalies kept in memory for /anomalies (the most recent readings). */
    ANOMALIES_KEEP: positiveInt.max(100_000).default(500),
    /** Bucket of the lake, where the report job writes its reports. */
    LAKE_BUCKET: bucketName.default(defaultBuckets.lake),
    /** Key prefix of the daily reports in LAKE_BUCKET. */
    REPORT_PREFIX: z.string().min(1).default(DEFAULT_REPORT_PREFIX),
    /** How long /reports serves a report it read before it looks at the lake again. */
    REPORT_CACHE_MS: positiveInt.default(60_000),
  });

export type ApiConfig = z.infer<typeof apiEnv>;

export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return readConfig(apiEnv, env);
}
