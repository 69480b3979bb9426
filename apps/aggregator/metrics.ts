// Prometheus metrics of the aggregator, and the observer that feeds them and the log from the loop.
import { Counter, Gauge, type Registry } from 'prom-client';
import { eventLoopReports } from '../lib/event-loop-metrics';
import { APP_METRICS } from '../lib/metric-names';
import type { Logger } from '../lib/log';
import type { AggregatorObserver } from './aggregate';

export function aggregatorObserver(registry: Registry, log: Logger, onCrash: () => void): AggregatorObserver {
  const loop = eventLoopReports(registry, log, onCrash, {
    consumed: APP_METRICS.aggregatorEventsConsumed,
    invalid: 'aggregator_invalid_events_total',
    dropped: {
      name: 'aggregator_partitions_rebuilt_total',
      help: 'Partitions whose open windows were dropped to be rebuilt from the committed offset.',
      log: 'dropped open windows; they are rebuilt from the committed offset',
    },
  });
  const produced = new Counter({
    name: APP_METRICS.aggregatorResultsProduced,
    help: 'Window results written to the results topic.',
    registers: [registry],
  });
  const average = new Gauge({
    name: APP_METRICS.aggregatorWindowAverage,
    help: 'Average of the last window result written, per sensor.',
    labelNames: ['sensor'],
    registers: [registry],
  });
  const skipped = new Counter({
    name: 'aggregator_commits_skipped_total',
    help: 'Commits skipped because the offset metadata would exceed what Kafka accepts.',
    registers: [registry],
  });
  return {
    ...loop,
    produced: (results) => {
      produced.inc(results.length);
      for (const result of results) average.set({ sensor: result.sensor }, result.avg);
    },
    committed: (partition, offset) => log.debug('committed', { partition, offset }),
    commitSkipped: (partition, metadataBytes) => {
      skipped.inc();
      log.warn('commit skipped: too many sensors per partition for the offset metadata', { partition, metadataBytes });
    },
  };
}
