// The processor's Prometheus metrics: objects processed, renditions written, dead letters by reason, time per object.
import { Counter, Histogram, type Registry } from 'prom-client';
import { type DlqReason, dlqReasons } from './errors';

export interface ProcessorMetrics {
  processedObjects: Counter<'result'>;
  renditions: Counter<'rendition'>;
  deadLetters: Counter<'reason'>;
  transientFailures: Counter;
  processingSeconds: Histogram<'result'>;
}

/** Registers the metrics on `registry` (the one the ops server exposes on /metrics). */
export function createProcessorMetrics(registry: Registry): ProcessorMetrics {
  const registers = [registry];
  const metrics: ProcessorMetrics = {
    processedObjects: new Counter({
      name: 'processor_objects_total',
      help: 'Uploaded objects handled, by result (rendered or dead-lettered)',
      labelNames: ['result'],
      registers,
    }),
    renditions: new Counter({
      name: 'processor_renditions_total',
      help: 'Renditions written to the processed bucket, by rendition name',
      labelNames: ['rendition'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'processor_dead_letters_total',
      help: 'Messages sent to the dead-letter topic, by reason',
      labelNames: ['reason'],
      registers,
    }),
    transientFailures: new Counter({
      name: 'processor_transient_failures_total',
      help: 'Attempts that failed transiently and were retried with backoff',
      registers,
    }),
    processingSeconds: new Histogram({
      name: 'processor_object_duration_seconds',
      help: 'Time to process one object, from stat to the last upload, by result',
      labelNames: ['result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
  // Every reason shows up as 0 from the start, so alerts on rate() see the series before the first failure.
  for (const reason of dlqReasons) metrics.deadLetters.inc({ reason: reason satisfies DlqReason }, 0);
  return metrics;
}
