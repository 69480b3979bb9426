// One MinIO identity per app: the policy that grants exactly the app's work on the pipeline's buckets, nothing else.
import type { PolicyDocument } from '../lib/minio-admin';

/** Apps that talk to MinIO with an identity of their own. */
export const minioApps = ['processor', 'api', 'lake-sink', 'report'] as const;
export type MinioApp = (typeof minioApps)[number];

export interface PipelineBuckets {
  uploads: string;
  processed: string;
  lake: string;
}

const bucket = (name: string) => `arn:aws:s3:::${name}`;
const objects = (name: string, prefix = '') => `arn:aws:s3:::${name}/${prefix}*`;

/** Where the report job writes in the lake, and what the API reads back. */
const REPORTS_PREFIX = 'reports/';

/**
 * The processor reads uploads and writes renditions (and dead-letter markers); it lists both buckets and reads its
 * renditions' metadata to reconcile. The API signs uploads into `uploads` and lists and signs reads of `processed`. The
 * lake sink writes Parquet files into `lake` and lists it (to find a file a crash left uncommitted); it reads nothing.
 * The report job lists and reads `lake` and writes only under `reports/`; the API also lists `lake` and reads the
 * reports, no topic's files. None may delete, touch other buckets, or change any bucket's configuration.
 */
export function appPolicy(app: MinioApp, buckets: PipelineBuckets): PolicyDocument {
  switch (app) {
    case 'processor':
      return {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucket(buckets.uploads), bucket(buckets.processed)] },
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [objects(buckets.uploads)] },
          // Reading its own renditions back: MinIO's listing with metadata (the reconciler's source ETags) needs it.
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [objects(buckets.processed)] },
        ],
      };
    case 'api':
      return {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [objects(buckets.uploads)] },
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucket(buckets.processed)] },
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [objects(buckets.processed)] },
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucket(buckets.lake)] },
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [objects(buckets.lake, REPORTS_PREFIX)] },
        ],
      };
    case 'lake-sink':
      return {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucket(buckets.lake)] },
          { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [objects(buckets.lake)] },
        ],
      };
    case 'report':
      return {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucket(buckets.lake)] },
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [objects(buckets.lake)] },
          { Effect: 'Allow', Action: ['s3:PutObject'], Resource: [objects(buckets.lake, REPORTS_PREFIX)] },
        ],
      };
  }
}

/** Name of the app's canned policy in MinIO. */
export const policyName = (app: MinioApp): string => `wolke-${app}`;
