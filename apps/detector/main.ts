// Entry point of the detector: config → Kafka → detection loop → ops server → graceful shutdown.
import { readConfig } from '../lib/config';
import { runConsumerApp, runMain } from '../lib/consumer-app';
import { detectorEnv } from './config';
import { startDetector } from './detect';
import { checkParams } from './ewma-detector';
import { detectorObserver } from './metrics';

runMain('detector', async () => {
  const config = readConfig(detectorEnv);
  const params = checkParams({ alpha: config.DETECTOR_ALPHA, threshold: config.DETECTOR_THRESHOLD, warmup: config.DETECTOR_WARMUP });
  await runConsumerApp({
    name: 'detector',
    config,
    topics: [config.EVENTS_TOPIC],
    start: ({ kafka, registry, log, onCrash }) =>
      startDetector(
        kafka,
        { eventsTopic: config.EVENTS_TOPIC, anomaliesTopic: config.ANOMALIES_TOPIC, groupId: config.GROUP_ID, params, sessionTimeoutMs: config.SESSION_TIMEOUT_MS },
        detectorObserver(registry, log, onCrash),
      ),
    started: { message: 'detecting', fields: { eventsTopic: config.EVENTS_TOPIC, anomaliesTopic: config.ANOMALIES_TOPIC, ...params } },
  });
});
