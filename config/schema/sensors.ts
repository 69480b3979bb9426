// The sensor pipeline's slice of the model: producer, aggregator, detector and the report over the lake.
import { z } from 'zod';
import { positiveNumber, wholeNumber } from '../limits';
import { list } from './fields';

/** A sensor id: the producer joins them with "," into SENSORS and the apps trim spaces. */
const sensor = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[^,\s](?:[^,]*[^,\s])?$/, { error: (i) => `must not contain "," or start or end with spaces: SENSORS is a comma list (got ${JSON.stringify(i.input)})` });

/** A cron schedule as Kubernetes CronJobs take it: five fields of digits, `*`, `,`, `-` and `/`. */
const cronSchedule = z.string().regex(/^[0-9*,/-]+( +[0-9*,/-]+){4}$/, {
  error: (i) => `must be a cron schedule of five fields such as "15 * * * *" (minute hour day month weekday; got ${JSON.stringify(i.input)})`,
});

/** The sensor producer: which sensors it simulates, how fast, and how many spikes it injects. */
export const producerSchema = z.strictObject({
  sensors: list(sensor, {
    min: { value: 1, error: 'must name at least one sensor' },
    max: { value: 1_000, error: 'must name at most 1000 sensors: they travel in one environment variable' },
    repeat: 'the producer would send twice the rate for that sensor',
  }).default(['A', 'B', 'C']),
  /** Events per second in total. */
  ratePerSecond: positiveNumber({ value: 10_000, why: 'one producer pod paces every event' }).default(10),
  /** Fraction of events the producer replaces by a spike marked `injected` (0 for none), to show and test the detector. */
  anomalyRate: z
    .number({ error: 'must be a number' })
    .min(0, { error: 'must be between 0 and 1, a fraction of the events' })
    .max(1, { error: 'must be between 0 and 1, a fraction of the events' })
    .default(0),
});

/** The aggregator: one average per sensor over a count window. */
export const aggregatorSchema = z.strictObject({
  /** Count window per sensor: one average every this many events. */
  window: wholeNumber(1, { value: 1_000_000, why: 'the aggregator keeps every open window in memory' }).default(20),
});

/** The streaming anomaly detector: per sensor, an EWMA mean and variance of the readings and a z-score threshold. */
export const detectorSchema = z.strictObject({
  /** Weight of the newest reading in the mean and variance; higher follows the readings faster. */
  alpha: z
    .number({ error: 'must be a number' })
    .gt(0, { error: 'must be above 0 (0 would never learn)' })
    .max(1, { error: 'must be at most 1, the weight of the newest reading' })
    .default(0.2),
  /** Standard deviations from the expected value above which a reading is an anomaly. */
  threshold: positiveNumber({ value: 1_000, why: 'no reading would ever be that far' }).default(5),
  /** Readings per sensor that only train the detector before it judges any. */
  warmup: wholeNumber({ value: 2, why: 'a variance needs two readings' }, { value: 1_000_000, why: 'a sensor would never be judged' }).default(20),
});

/** The report over the lake: per sensor and day count, mean, min, max, p50, p95 and anomalies, written back as Parquet. */
export const reportSchema = z.strictObject({
  /** Runs the report as a CronJob. */
  enabled: z.boolean().default(true),
  /** duckdb (embedded, one pod, the default) or spark (Spark SQL; local mode in its pod, for a lake that outgrows DuckDB). */
  engine: z.enum(['duckdb', 'spark'], { error: 'must be duckdb or spark' }).default('duckdb'),
  /** When it runs: a cron schedule of five fields, in UTC. */
  schedule: cronSchedule.default('15 * * * *'),
  /** Days each run reports, ending today: 2 reports yesterday (complete now) and today (so far). */
  days: wholeNumber(1, { value: 366, why: 'each run reads every day it reports again' }).default(2),
});
