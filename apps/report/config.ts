// Environment of the report job: MinIO, the lake bucket, the topics it reads, where the report goes and which days.
import { z } from 'zod';
import { defaultBuckets } from '../../contracts/buckets';
import { DEFAULT_REPORT_PREFIX } from '../../contracts/sensor-report';
import { topics } from '../../contracts/topics';
import { commonEnv, minioEnv, positiveInt } from '../lib/config';
import { reportEngines } from './engine';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a UTC day such as 2026-12-02' });

export const reportEnv = z.object({
  LOG_LEVEL: commonEnv.shape.LOG_LEVEL,
  ...minioEnv.shape,
  /** Bucket of the lake: the sink's files under topic=…/date=…/hour=…/, the report under REPORT_PREFIX. */
  LAKE_BUCKET: z.string().min(1).default(defaultBuckets.lake),
  EVENTS_TOPIC: z.string().min(1).default(topics.events),
  ANOMALIES_TOPIC: z.string().min(1).default(topics.anomalies),
  /** Where the report lands: <prefix>/date=<day>/ holds one Parquet file per day. */
  REPORT_PREFIX: z.string().regex(/^[^/].*[^/]$/, { error: 'must be a key prefix without leading or trailing "/"' }).default(DEFAULT_REPORT_PREFIX),
  /** The engine that runs the SQL: duckdb (embedded, the default) or spark (Spark SQL in local mode over s3a). */
  REPORT_ENGINE: z.enum(reportEngines).default('duckdb'),
  /** Days reported, ending with REPORT_TO: 2 means yesterday (complete now) and today (so far). */
  REPORT_DAYS: positiveInt.max(366).default(2),
  /** Last day reported (UTC); today when unset. */
  REPORT_TO: day.optional(),
  /** Scratch folder for the lake files a run reads and the files it writes; emptied after each run. */
  WORK_DIR: z.string().min(1).optional(),
  /** spark engine: the folder with Spark's and hadoop-aws's jars (testbed/spark.sh prints it; /opt/spark/jars in the image). */
  SPARK_JARS: z.string().min(1).optional(),
});

export type ReportConfig = z.infer<typeof reportEnv>;
