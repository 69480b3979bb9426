// The daily sensor report: where the report job writes it in the lake bucket, and the rows the API serves from it.

export const DEFAULT_REPORT_PREFIX = 'reports/sensor-daily';

/** One sensor's day. */
export interface ReportRow {
  sensor: string;
  date: string;
  readings: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
  anomalies: number;
}

export interface LatestReport {
  /** The latest day that has a report, or null when the lake has none yet. */
  date: string | null;
  /** Object key of that report. */
  key: string | null;
  /** When the report object was written. */
  writtenAt: string | null;
  rows: ReportRow[];
}
