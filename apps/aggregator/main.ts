// Entry point of the aggregator: config → Kafka → window loop → ops server → graceful shutdown.
import { readConfig } from '../lib/config';
import { runConsumerApp, runMain } from '../lib/consumer-app';
import { startAggregator } from './aggregate';
import { aggregatorEnv } from './config';
import { aggregatorObserver } from './metrics';

runMain('aggregator', async () => {
  const config = readConfig(aggregatorEnv);
  await runConsumerApp({
    name: 'aggregator',
    config,
    topics: [config.EVENTS_TOPIC],
    start: ({ kafka, registry, log, onCrash }) =>
      startAggregator(
        kafka,
        {
          eventsTopic: config.EVENTS_TOPIC,
          resultsTopic: config.RESULTS_TOPIC,
          windowSize: config.WINDOW_SIZE,
          groupId: config.GROUP_ID,
          sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
        },
        aggregatorObserver(registry, log, onCrash),
      ),
    started: { message: 'aggregating', fields: { eventsTopic: config.EVENTS_TOPIC, resultsTopic: config.RESULTS_TOPIC, windowSize: config.WINDOW_SIZE } },
  });
});
