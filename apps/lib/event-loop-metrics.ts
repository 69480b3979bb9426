// Metrics and log lines every loop over the sensor events has: events read, messages skipped, partition state dropped,
// and the crash that ends the process.
import { Counter, type Registry } from 'prom-client';
import type { Logger } from './log';

export interface EventLoopMetricNames {
  /** Counter of the events read. */
  consumed: string;
  /** Counter of the messages that are not sensor events. */
  invalid: string;
  /** Counter of the partitions whose in-memory state was dropped, its help and the log line that says so. */
  dropped: { name: string; help: string; log: string };
}

/** What the aggregator's and the detector's observers share. */
export interface EventLoopReports {
  consumed(count: number): void;
  invalid(partition: number, offset: string): void;
  dropped(partitions: number[], reason: string): void;
  crashed(error: Error): void;
}

export function eventLoopReports(registry: Registry, log: Logger, onCrash: () => void, names: EventLoopMetricNames): EventLoopReports {
  const consumed = new Counter({
    name: names.consumed,
    help: 'Sensor events read from the events topic (re-reads after a restart count again).',
    registers: [registry],
  });
  const invalid = new Counter({ name: names.invalid, help: 'Messages on the events topic that are not sensor events; skipped.', registers: [registry] });
  const dropped = new Counter({ name: names.dropped.name, help: names.dropped.help, registers: [registry] });
  return {
    consumed: (count) => consumed.inc(count),
    invalid: (partition, offset) => {
      invalid.inc();
      log.warn('skipped a message that is not a sensor event', { partition, offset });
    },
    dropped: (partitions, reason) => {
      dropped.inc(partitions.length);
      log.info(names.dropped.log, { partitions, reason });
    },
    crashed: (error) => {
      log.error('consumer crashed and will not restart', { error });
      onCrash();
    },
  };
}
