// Decides which uploads lost their notification: no renditions of the upload's ETag, no dead letter, older than a grace.
import { createHash } from 'node:crypto';
import { renditionKey } from '../../contracts/rendition-key';
import type { Rendition } from '../../contracts/renditions';

/** An object in the uploads bucket as a listing reports it. */
export interface ListedUpload {
  key: string;
  etag: string;
  size: number;
  lastModified: Date;
}

/** Where the processor records a dead-lettered upload in the processed bucket; hashed, so any key length fits. */
const deadLetterPrefix = 'dead-letters/';
export const deadLetterMarkerKey = (sourceKey: string): string =>
  `${deadLetterPrefix}${createHash('sha256').update(sourceKey, 'utf8').digest('hex')}`;

export interface ReconcileInput {
  uploads: readonly ListedUpload[];
  /** Objects of the processed bucket: key → the `source-etag` they were made from (undefined when absent). */
  processed: ReadonlyMap<string, string | undefined>;
  renditions: readonly Rendition[];
  now: Date;
  /** Uploads younger than this may still be on their way through Kafka. */
  graceMs: number;
  /** Uploads republished recently (key → ETag and when): not again until a grace has passed. */
  republished: ReadonlyMap<string, { etag: string; at: number }>;
  /** At most this many republished per pass. */
  maxPerPass: number;
}

export interface ReconcilePlan {
  /** Uploads to announce again, oldest first, at most maxPerPass. */
  republish: ListedUpload[];
  /** Older than the grace and without an outcome (including those republished recently or over the bound). */
  unsettled: number;
  /** With renditions of their ETag or a dead letter. */
  settled: number;
  /** Within the grace period: not looked at. */
  young: number;
}

/** Whether the upload has every rendition made from its current ETag, or a dead letter of that ETag. */
function isSettled(upload: ListedUpload, processed: ReadonlyMap<string, string | undefined>, renditions: readonly Rendition[]): boolean {
  if (processed.get(deadLetterMarkerKey(upload.key)) === upload.etag) return true;
  return renditions.every((r) => processed.get(renditionKey(upload.key, r)) === upload.etag);
}

/** Plans one pass; pure, so the same listing gives the same plan. */
export function planReconcile(input: ReconcileInput): ReconcilePlan {
  const cutoff = input.now.getTime() - input.graceMs;
  const candidates: ListedUpload[] = [];
  let settled = 0;
  let young = 0;
  for (const upload of input.uploads) {
    if (upload.lastModified.getTime() > cutoff) {
      young += 1;
      continue;
    }
    if (isSettled(upload, input.processed, input.renditions)) {
      settled += 1;
      continue;
    }
    candidates.push(upload);
  }
  const due = candidates
    .filter((u) => {
      const last = input.republished.get(u.key);
      return last === undefined || last.etag !== u.etag || last.at <= cutoff;
    })
    .sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime() || a.key.localeCompare(b.key));
  return { republish: due.slice(0, input.maxPerPass), unsettled: candidates.length, settled, young };
}

/** Go's url.QueryEscape, as MinIO writes keys into notifications (a space is "+"). */
export const encodeObjectKey = (key: string): string =>
  encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/** A notification shaped like MinIO's (keyed `bucket/key` like MinIO's), marked as the reconciler's. */
export function republishedEvent(bucket: string, upload: ListedUpload, now: Date): { key: string; value: string } {
  const eventName = 's3:ObjectCreated:Put';
  return {
    key: `${bucket}/${upload.key}`,
    value: JSON.stringify({
      EventName: eventName,
      Key: `${bucket}/${upload.key}`,
      Reconciled: true,
      Records: [
        {
          eventVersion: '2.0',
          eventSource: 'wolke:reconciler',
          eventTime: now.toISOString(),
          eventName,
          s3: {
            bucket: { name: bucket },
            object: { key: encodeObjectKey(upload.key), eTag: upload.etag, size: upload.size },
          },
        },
      ],
    }),
  };
}

/** Drops memory of republished uploads older than the cutoff, so the map stays as small as the unsettled set. */
export function pruneRepublished(republished: Map<string, { etag: string; at: number }>, cutoff: number): void {
  for (const [key, entry] of republished) if (entry.at <= cutoff) republished.delete(key);
}
