// Entry point of the lake sink: config → Kafka and MinIO → archive loop → ops server → graceful shutdown.
import { readConfig } from '../lib/config';
import { createKafka } from '../lib/kafka';
import { startLagMetrics } from '../lib/lag-metrics';
import { createLogger } from '../lib/log';
import { createMinio } from '../lib/minio';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import { createShutdown } from '../lib/shutdown';
import { lakeSinkEnv } from './config';
import { lakeSinkObserver } from './metrics';
import { startLakeSink } from './sink';

async function main(): Promise<void> {
  const config = readConfig(lakeSinkEnv);
  const log = createLogger('lake-sink', config.LOG_LEVEL);
  let crashed = false;
  // A crashed consumer makes the process exit non-zero, so Kubernetes restarts it instead of leaving it idle.
  const shutdown = createShutdown({ log, exit: (code) => process.exit(crashed ? 1 : code) });
  const registry = createMetricsRegistry('lake-sink');
  const kafka = createKafka(config, log);
  const minio = createMinio(config);
  const topics = { events: config.EVENTS_TOPIC, results: config.RESULTS_TOPIC, anomalies: config.ANOMALIES_TOPIC };

  const sink = await startLakeSink(
    kafka,
    minio,
    {
      topics,
      bucket: config.LAKE_BUCKET,
      dlqTopic: config.DLQ_TOPIC,
      groupId: config.GROUP_ID,
      roll: { bytes: config.ROLL_BYTES, ms: config.ROLL_MS },
      sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
    },
    lakeSinkObserver(registry, log, () => {
      crashed = true;
      void shutdown.run('consumer crashed');
    }),
  );
  shutdown.add('lake sink', () => sink.stop());
  // One group reads the three topics: a lag series per partition of each.
  const lag = await startLagMetrics(kafka, registry, log, {
    groups: Object.values(topics).map((topic) => ({ groupId: config.GROUP_ID, topic })),
    intervalMs: config.LAG_METRICS_INTERVAL_MS,
  });
  shutdown.add('lag metrics', () => lag.stop());
  const ops = await startOpsServer({ port: config.OPS_PORT, host: config.OPS_HOST, registry, ready: sink.ready });
  shutdown.add('ops server', () => ops.close());
  log.info('archiving', { topics, bucket: config.LAKE_BUCKET, rollBytes: config.ROLL_BYTES, rollMs: config.ROLL_MS, ops: ops.url });
}

main().catch((error: unknown) => {
  createLogger('lake-sink').error('lake sink failed', { error });
  process.exit(1);
});
