// The reconciler loop: every interval it lists the uploads and processed buckets and republishes lost notifications.
import type { Producer } from 'kafkajs';
import type { Client } from 'minio';
import type { HandlerLog } from './batch-handler';
import type { ProcessorMetrics } from './metrics';
import { type ListedUpload, planReconcile, pruneRepublished, republishedEvent } from './reconcile';
import type { Rendition } from '../../contracts/renditions';

export interface ReconcilerOptions {
  minio: Client;
  producer: Producer;
  /** The topic MinIO notifies, where the republished events go. */
  sourceTopic: string;
  uploadsBucket: string;
  processedBucket: string;
  renditions: readonly Rendition[];
  graceMs: number;
  maxPerPass: number;
  /** Skips a pass while the group is further behind than this: missing renditions are then likely still queued. */
  maxLag: number;
  /** Messages the group has not committed yet on the source topic. */
  lag: () => Promise<number>;
  metrics: ProcessorMetrics;
  log: HandlerLog;
}

export interface PassResult {
  skipped?: 'lagging' | 'no-metadata';
  republished: string[];
  unsettled: number;
}

async function listUploads(minio: Client, bucket: string): Promise<ListedUpload[]> {
  const uploads: ListedUpload[] = [];
  const stream = minio.listObjectsV2(bucket, '', true);
  for await (const item of stream as AsyncIterable<{ name?: string; etag?: string; size: number; lastModified?: Date }>) {
    if (item.name === undefined || item.etag === undefined || item.lastModified === undefined) continue;
    uploads.push({ key: item.name, etag: item.etag, size: item.size, lastModified: item.lastModified });
  }
  return uploads;
}

/** The `source-etag` of a listed object, as MinIO's metadata listing names it (X-Amz-Meta-Source-Etag). */
export function sourceEtagOf(metadata: unknown): string | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  for (const [name, value] of Object.entries(metadata as Record<string, unknown>)) {
    if (/^(x-amz-meta-)?source-etag$/i.test(name)) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}

async function listProcessed(minio: Client, bucket: string): Promise<Map<string, string | undefined>> {
  const processed = new Map<string, string | undefined>();
  // MinIO's listing with metadata: the source ETag of every rendition in one request per 1000 keys, no HEAD each.
  const stream = minio.extensions.listObjectsV2WithMetadata(bucket, '', true, '');
  for await (const item of stream as AsyncIterable<{ name?: string; metadata?: unknown }>) {
    if (item.name !== undefined) processed.set(item.name, sourceEtagOf(item.metadata));
  }
  return processed;
}

/** One reconciler; `pass()` is safe to call again at any time, since republishing only causes an overwrite. */
export function createReconciler(options: ReconcilerOptions): { pass(now?: Date): Promise<PassResult> } {
  const { metrics, log } = options;
  const republished = new Map<string, { etag: string; at: number }>();
  return {
    async pass(now = new Date()) {
      const stopTimer = metrics.reconcileSeconds.startTimer();
      try {
        const lag = await options.lag();
        if (lag > options.maxLag) {
          metrics.reconcilePasses.inc({ result: 'skipped-lagging' });
          log.debug('reconcile pass skipped: the group is behind', { lag, maxLag: options.maxLag });
          return { skipped: 'lagging', republished: [], unsettled: 0 };
        }
        const [uploads, processed] = await Promise.all([
          listUploads(options.minio, options.uploadsBucket),
          listProcessed(options.minio, options.processedBucket),
        ]);
        // Renditions listed without any source ETag mean the listing hides metadata (a policy without s3:GetObject on
        // processed): every upload would look unsettled and be republished, so the pass stops and says why.
        if (processed.size > 0 && [...processed.values()].every((etag) => etag === undefined)) {
          metrics.reconcilePasses.inc({ result: 'skipped-no-metadata' });
          log.warn('reconcile pass skipped: the processed listing shows no source ETags (is s3:GetObject on it allowed?)', {
            processed: processed.size,
          });
          return { skipped: 'no-metadata', republished: [], unsettled: 0 };
        }
        pruneRepublished(republished, now.getTime() - options.graceMs);
        const plan = planReconcile({
          uploads,
          processed,
          renditions: options.renditions,
          now,
          graceMs: options.graceMs,
          republished,
          maxPerPass: options.maxPerPass,
        });
        if (plan.republish.length > 0) {
          await options.producer.send({
            topic: options.sourceTopic,
            acks: -1,
            messages: plan.republish.map((u) => republishedEvent(options.uploadsBucket, u, now)),
          });
          for (const u of plan.republish) republished.set(u.key, { etag: u.etag, at: now.getTime() });
          metrics.republished.inc(plan.republish.length);
          log.warn('republished uploads without renditions or dead letter', {
            count: plan.republish.length,
            unsettled: plan.unsettled,
            keys: plan.republish.slice(0, 20).map((u) => u.key),
          });
        }
        metrics.unsettled.set(plan.unsettled);
        metrics.reconcilePasses.inc({ result: 'done' });
        stopTimer();
        return { republished: plan.republish.map((u) => u.key), unsettled: plan.unsettled };
      } catch (error) {
        metrics.reconcilePasses.inc({ result: 'failed' });
        throw error;
      }
    },
  };
}
