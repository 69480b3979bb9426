// Uploads the engine's output to the lake: <prefix>/date=<day>/sensor-daily.parquet, one object per day, so a run
// again over the same day overwrites its report.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'minio';

const reportFileName = 'sensor-daily.parquet';

/** Key of the report of `day`. */
const reportKey = (prefix: string, day: string) => `${prefix}/date=${day}/${reportFileName}`;

/** The one Parquet file an engine wrote for a day (Spark names its part files itself). */
function dayFile(outputDir: string, day: string): string {
  const dir = join(outputDir, `date=${day}`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.parquet'));
  if (files.length !== 1) throw new Error(`expected one Parquet file for ${day} in ${dir}, found ${files.length}`);
  return join(dir, files[0]!);
}

export async function publishReport(minio: Client, bucket: string, prefix: string, outputDir: string, days: readonly string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const day of days) {
    const key = reportKey(prefix, day);
    await minio.fPutObject(bucket, key, dayFile(outputDir, day), { 'Content-Type': 'application/vnd.apache.parquet' });
    keys.push(key);
  }
  return keys;
}
