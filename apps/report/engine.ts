// What a report engine is given and gives back: the same SQL over the same lake files, one Parquet file per day.
import type { DayRange } from './date-range';

/** The engines that can run the report: DuckDB embedded (default) or Spark SQL in local mode. */
export const reportEngines = ['duckdb', 'spark'] as const;
export type ReportEngineName = (typeof reportEngines)[number];

/** Where one topic's lake files are, as the engine reads them. */
export interface TopicFiles {
  /** Parquet files (local paths for DuckDB, s3a:// URLs for Spark); empty when the range has none. */
  files: string[];
}

export interface ReportRun {
  range: DayRange;
  events: TopicFiles;
  anomalies: TopicFiles;
  /** The report's SQL with the range filled in. */
  sql: string;
  /** Local folder the engine writes `date=<day>/*.parquet` into, one file per day. */
  outputDir: string;
}

export interface ReportEngine {
  readonly name: ReportEngineName;
  /** Runs the SQL and writes the report; resolves with the days written. */
  run(run: ReportRun): Promise<string[]>;
}
