// The lake files a run reads (the sink's Parquet files of one topic in the partitions of the range) and the copy of
// them on local disk that DuckDB reads.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from 'minio';
import pLimit from 'p-limit';

/** Keys of the topic's Parquet files in the `date=` partitions of `days`. */
export async function lakeFileKeys(minio: Client, bucket: string, topic: string, days: readonly string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const day of days) {
    for await (const item of minio.listObjectsV2(bucket, `topic=${topic}/date=${day}/`, true)) {
      if ('name' in item && item.name?.endsWith('.parquet')) keys.push(item.name);
    }
  }
  return keys.sort();
}

/** Downloads `keys` under `dir` (same relative paths), a few at a time; resolves with the local paths. */
export async function copyToDisk(minio: Client, bucket: string, keys: readonly string[], dir: string): Promise<string[]> {
  const limit = pLimit(4);
  return Promise.all(
    keys.map((key) =>
      limit(async () => {
        const path = join(dir, ...key.split('/'));
        mkdirSync(dirname(path), { recursive: true });
        await minio.fGetObject(bucket, key, path);
        return path;
      }),
    ),
  );
}
