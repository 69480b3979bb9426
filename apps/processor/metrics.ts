// The processor's Prometheus metrics: objects processed, renditions written, dead letters by reason, time per object.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { APP_METRICS } from '../lib/metric-names';
import { type DlqReason, dlqReasons } from './errors';

export interface ProcessorMetrics {
  processedObjects: Counter<'result'>;
  renditions: Counter<'rendition'>;
  deadLetters: Counter<'reason'>;
  transientFailures: Counter;
  processingSeconds: Histogram<'result'>;
  /** Reconciler passes, by result (done, skipped-lagging, skipped-no-metadata, failed). */
  reconcilePasses: Counter<'result'>;
  /** Uploads whose notification the reconciler published again. */
  republished: Counter;
  /** Uploads past the grace period with neither renditions of their ETag nor a dead letter, at the last pass. */
  unsettled: Gauge;
  reconcileSeconds: Histogram;
  /** 1 while MinIO refuses the processor (wrong secret, missing bucket or permission), else 0. */
  storageRefused: Gauge;
}

/** Registers the metrics on `registry` (the one the ops server exposes on /metrics). */
export function createProcessorMetrics(registry: Registry): ProcessorMetrics {
  const registers = [registry];
  const metrics: ProcessorMetrics = {
    processedObjects: new Counter({
      name: APP_METRICS.processorObjects,
      help: 'Uploaded objects handled, by result (rendered or dead-lettered)',
      labelNames: ['result'],
      registers,
    }),
    renditions: new Counter({
      name: APP_METRICS.processorRenditions,
      help: 'Renditions written to the processed bucket, by rendition name',
      labelNames: ['rendition'],
      registers,
    }),
    deadLetters: new Counter({
      name: APP_METRICS.processorDeadLetters,
      help: 'Messages sent to the dead-letter topic, by reason',
      labelNames: ['reason'],
      registers,
    }),
    transientFailures: new Counter({
      name: APP_METRICS.processorTransientFailures,
      help: 'Attempts that failed transiently and were retried with backoff',
      registers,
    }),
    processingSeconds: new Histogram({
      name: APP_METRICS.processorObjectSeconds,
      help: 'Time to process one object, from stat to the last upload, by result',
      labelNames: ['result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    reconcilePasses: new Counter({
      name: 'processor_reconcile_passes_total',
      help: 'Reconciler passes over the uploads bucket, by result (done, skipped-lagging, skipped-no-metadata, failed)',
      labelNames: ['result'],
      registers,
    }),
    republished: new Counter({
      name: 'processor_reconcile_republished_total',
      help: 'Uploads without renditions or dead letter whose notification the reconciler published again',
      registers,
    }),
    unsettled: new Gauge({
      name: 'processor_reconcile_unsettled_uploads',
      help: 'Uploads older than the grace period with neither renditions of their ETag nor a dead letter, at the last pass',
      registers,
    }),
    reconcileSeconds: new Histogram({
      name: 'processor_reconcile_pass_duration_seconds',
      help: 'Time of one completed reconciler pass (two listings and the republishing)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    storageRefused: new Gauge({
      name: APP_METRICS.processorStorageRefused,
      help: '1 while MinIO refuses the processor (AccessDenied, NoSuchBucket, a wrong key); the processor is unready meanwhile',
      registers,
    }),
  };
  // Every reason shows up as 0 from the start, so alerts on rate() see the series before the first failure.
  for (const reason of dlqReasons) metrics.deadLetters.inc({ reason: reason satisfies DlqReason }, 0);
  return metrics;
}
