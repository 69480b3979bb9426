// When each upload was done: the time its last rendition landed in the processed bucket (MinIO's LastModified).
import type { Client } from 'minio';

/** A listed object of the processed bucket. */
export interface StoredObject {
  key: string;
  lastModified: Date;
}

/**
 * Upload stem (its key without extension) → the time its last rendition was written, for uploads whose every
 * rendition file (e.g. `thumb.webp`) is there; others are left out.
 */
export function completionTimes(objects: readonly StoredObject[], renditionFiles: readonly string[]): Map<string, number> {
  const wanted = new Set(renditionFiles);
  const seen = new Map<string, { files: Set<string>; last: number }>();
  for (const object of objects) {
    const slash = object.key.lastIndexOf('/');
    const file = object.key.slice(slash + 1);
    if (slash <= 0 || !wanted.has(file)) continue;
    const stem = object.key.slice(0, slash);
    const entry = seen.get(stem) ?? { files: new Set<string>(), last: 0 };
    entry.files.add(file);
    entry.last = Math.max(entry.last, object.lastModified.getTime());
    seen.set(stem, entry);
  }
  const done = new Map<string, number>();
  for (const [stem, entry] of seen) if (entry.files.size === wanted.size) done.set(stem, entry.last);
  return done;
}

/** Lists every object under `prefix` (recursively) with its LastModified. */
export async function listObjects(client: Client, bucket: string, prefix: string): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  for await (const item of client.listObjectsV2(bucket, prefix, true)) {
    const { name, lastModified } = item as { name?: string; lastModified?: Date };
    if (name !== undefined && lastModified !== undefined) objects.push({ key: name, lastModified });
  }
  return objects;
}
