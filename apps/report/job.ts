// One run of the report job: pick the days, find the lake files, run the SQL on the chosen engine, upload the report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'minio';
import type { Logger } from '../lib/log';
import type { ReportConfig } from './config';
import { partitionDays, reportRange, type DayRange } from './date-range';
import { duckdbEngine } from './duckdb-engine';
import type { ReportEngine, TopicFiles } from './engine';
import { copyToDisk, lakeFileKeys } from './lake-files';
import { publishReport } from './publish';
import { reportSql, reportSqlText } from './report-sql';
import { sparkEngine } from './spark-engine';

export interface ReportResult {
  engine: string;
  range: DayRange;
  /** Lake files read, per topic. */
  files: { events: number; anomalies: number };
  /** Days with readings, each a report object. */
  days: string[];
  /** Keys of the report objects written. */
  keys: string[];
  seconds: number;
}

function engineOf(config: ReportConfig): ReportEngine {
  if (config.REPORT_ENGINE === 'duckdb') return duckdbEngine();
  if (config.SPARK_JARS === undefined) throw new Error('SPARK_JARS: is required with REPORT_ENGINE=spark (the folder of Spark\'s jars; bash testbed/spark.sh prints it)');
  return sparkEngine({ jars: config.SPARK_JARS, minio: config });
}

export async function runReportJob(config: ReportConfig, minio: Client, log: Logger, now = Date.now()): Promise<ReportResult> {
  const started = performance.now();
  const range = reportRange(config.REPORT_DAYS, config.REPORT_TO, now);
  const engine = engineOf(config);
  const days = partitionDays(range);
  const [eventKeys, anomalyKeys] = await Promise.all([
    lakeFileKeys(minio, config.LAKE_BUCKET, config.EVENTS_TOPIC, days),
    lakeFileKeys(minio, config.LAKE_BUCKET, config.ANOMALIES_TOPIC, days),
  ]);
  log.info('reading the lake', { engine: engine.name, from: range.from, to: range.to, eventFiles: eventKeys.length, anomalyFiles: anomalyKeys.length });
  const work = mkdtempSync(join(config.WORK_DIR ?? tmpdir(), 'wolke-report-'));
  try {
    // DuckDB reads a local copy (no httpfs here); Spark reads the lake itself over s3a.
    const located = async (keys: string[]): Promise<TopicFiles> =>
      engine.name === 'duckdb'
        ? { files: await copyToDisk(minio, config.LAKE_BUCKET, keys, join(work, 'lake')) }
        : { files: keys.map((key) => `s3a://${config.LAKE_BUCKET}/${key}`) };
    const [events, anomalies] = await Promise.all([located(eventKeys), located(anomalyKeys)]);
    const outputDir = join(work, 'report');
    const written = await engine.run({ range, events, anomalies, sql: reportSql(reportSqlText(), range), outputDir });
    const keys = await publishReport(minio, config.LAKE_BUCKET, config.REPORT_PREFIX, outputDir, written);
    const result = {
      engine: engine.name,
      range,
      files: { events: eventKeys.length, anomalies: anomalyKeys.length },
      days: written,
      keys,
      seconds: (performance.now() - started) / 1000,
    };
    log.info('report written', { ...result, range: undefined, from: range.from, to: range.to, bucket: config.LAKE_BUCKET });
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
