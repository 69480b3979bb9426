// The report's SQL (sensor-daily.sql, shared by both engines) with its day range filled in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DayRange } from './date-range';

/** Read next to this module, or next to the bundle in the image (the Dockerfile copies it there). */
export function reportSqlText(dir: string = __dirname): string {
  return readFileSync(join(dir, 'sensor-daily.sql'), 'utf8');
}

/** The SQL with :from_date and :to_date replaced by DATE literals (days were validated as YYYY-MM-DD). */
export function reportSql(text: string, range: DayRange): string {
  for (const day of [range.from, range.to]) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  }
  return text.replaceAll(':from_date', `DATE '${range.from}'`).replaceAll(':to_date', `DATE '${range.to}'`);
}
