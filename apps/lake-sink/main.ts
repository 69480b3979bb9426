// Entry point of the lake sink: config → Kafka and MinIO → archive loop → ops server → graceful shutdown.
import { readConfig } from '../lib/config';
import { runConsumerApp, runMain } from '../lib/consumer-app';
import { createMinio } from '../lib/minio';
import { lakeSinkEnv } from './config';
import { lakeSinkObserver } from './metrics';
import { startLakeSink } from './sink';

runMain('lake-sink', async () => {
  const config = readConfig(lakeSinkEnv);
  const topics = { events: config.EVENTS_TOPIC, results: config.RESULTS_TOPIC, anomalies: config.ANOMALIES_TOPIC };
  await runConsumerApp({
    name: 'lake-sink',
    config,
    // One group reads the three topics: a lag series per partition of each.
    topics: Object.values(topics),
    start: ({ kafka, registry, log, onCrash }) =>
      startLakeSink(
        kafka,
        createMinio(config),
        {
          topics,
          bucket: config.LAKE_BUCKET,
          dlqTopic: config.DLQ_TOPIC,
          groupId: config.GROUP_ID,
          roll: { bytes: config.ROLL_BYTES, ms: config.ROLL_MS },
          sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
        },
        lakeSinkObserver(registry, log, onCrash),
      ),
    started: { message: 'archiving', fields: { topics, bucket: config.LAKE_BUCKET, rollBytes: config.ROLL_BYTES, rollMs: config.ROLL_MS } },
  });
});
