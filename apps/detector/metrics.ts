// Prometheus metrics of the detector, and the observer that feeds them and the log from the loop.
import { Counter, type Registry } from 'prom-client';
import { eventLoopReports } from '../lib/event-loop-metrics';
import { APP_METRICS } from '../lib/metric-names';
import type { Logger } from '../lib/log';
import type { DetectorObserver } from './detect';

export function detectorObserver(registry: Registry, log: Logger, onCrash: () => void): DetectorObserver {
  const loop = eventLoopReports(registry, log, onCrash, {
    consumed: APP_METRICS.detectorEventsConsumed,
    invalid: 'detector_invalid_events_total',
    dropped: {
      name: 'detector_partitions_restored_total',
      help: 'Partitions whose detector states were dropped and restored from the committed offset.',
      log: 'dropped detector states; they are restored from the committed offset',
    },
  });
  const anomalies = new Counter({
    name: APP_METRICS.detectorAnomalies,
    help: 'Anomalies written to the anomalies topic, per sensor.',
    labelNames: ['sensor'],
    registers: [registry],
  });
  const tooLong = new Counter({
    name: 'detector_states_not_committed_total',
    help: 'Commits that went without the detector states because they exceed what Kafka accepts as metadata.',
    registers: [registry],
  });
  return {
    ...loop,
    anomalies: (found) => {
      for (const anomaly of found) {
        anomalies.inc({ sensor: anomaly.sensor });
        log.debug('anomaly', { sensor: anomaly.sensor, value: anomaly.value, expected: anomaly.expected, score: anomaly.score });
      }
    },
    statesTooLong: (partition, metadataBytes) => {
      tooLong.inc();
      log.warn('committed without detector states: too many sensors per partition for the offset metadata', { partition, metadataBytes });
    },
  };
}
