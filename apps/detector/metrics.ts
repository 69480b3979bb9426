// Prometheus metrics of the detector, and the observer that feeds them and the log from the loop.
import { Counter, type Registry } from 'prom-client';
import { APP_METRICS } from '../lib/metric-names';
import type { Logger } from '../lib/log';
import type { DetectorObserver } from './detect';

export function detectorObserver(registry: Registry, log: Logger, onCrash: () => void): DetectorObserver {
  const consumed = new Counter({
    name: APP_METRICS.detectorEventsConsumed,
    help: 'Sensor events read from the events topic (re-reads after a restart count again).',
    registers: [registry],
  });
  const anomalies = new Counter({
    name: APP_METRICS.detectorAnomalies,
    help: 'Anomalies written to the anomalies topic, per sensor.',
    labelNames: ['sensor'],
    registers: [registry],
  });
  const invalid = new Counter({
    name: 'detector_invalid_events_total',
    help: 'Messages on the events topic that are not sensor events; skipped.',
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'detector_partitions_restored_total',
    help: 'Partitions whose detector states were dropped and restored from the committed offset.',
    registers: [registry],
  });
  const tooLong = new Counter({
    name: 'detector_states_not_committed_total',
    help: 'Commits that went without the detector states because they exceed what Kafka accepts as metadata.',
    registers: [registry],
  });
  return {
    consumed: (count) => consumed.inc(count),
    anomalies: (found) => {
      for (const anomaly of found) {
        anomalies.inc({ sensor: anomaly.sensor });
        log.debug('anomaly', { sensor: anomaly.sensor, value: anomaly.value, expected: anomaly.expected, score: anomaly.score });
      }
    },
    invalid: (partition, offset) => {
      invalid.inc();
      log.warn('skipped a message that is not a sensor event', { partition, offset });
    },
    dropped: (partitions, reason) => {
      dropped.inc(partitions.length);
      log.info('dropped detector states; they are restored from the committed offset', { partitions, reason });
    },
    statesTooLong: (partition, metadataBytes) => {
      tooLong.inc();
      log.warn('committed without detector states: too many sensors per partition for the offset metadata', { partition, metadataBytes });
    },
    crashed: (error) => {
      log.error('consumer crashed and will not restart', { error });
      onCrash();
    },
  };
}
