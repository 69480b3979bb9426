// Entry point of the detector: config → Kafka → detection loop → ops server → graceful shutdown.
import { readConfig } from '../lib/config';
import { createKafka } from '../lib/kafka';
import { startLagMetrics } from '../lib/lag-metrics';
import { createLogger } from '../lib/log';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import { createShutdown } from '../lib/shutdown';
import { detectorEnv } from './config';
import { startDetector } from './detect';
import { checkParams } from './ewma-detector';
import { detectorObserver } from './metrics';

async function main(): Promise<void> {
  const config = readConfig(detectorEnv);
  const log = createLogger('detector', config.LOG_LEVEL);
  const params = checkParams({ alpha: config.DETECTOR_ALPHA, threshold: config.DETECTOR_THRESHOLD, warmup: config.DETECTOR_WARMUP });
  let crashed = false;
  // A crashed consumer makes the process exit non-zero, so Kubernetes restarts it instead of leaving it idle.
  const shutdown = createShutdown({ log, exit: (code) => process.exit(crashed ? 1 : code) });
  const registry = createMetricsRegistry('detector');
  const kafka = createKafka(config, log);

  const detector = await startDetector(
    kafka,
    {
      eventsTopic: config.EVENTS_TOPIC,
      anomaliesTopic: config.ANOMALIES_TOPIC,
      groupId: config.GROUP_ID,
      params,
      sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
    },
    detectorObserver(registry, log, () => {
      crashed = true;
      void shutdown.run('consumer crashed');
    }),
  );
  shutdown.add('detector', () => detector.stop());
  const lag = await startLagMetrics(kafka, registry, log, {
    groups: [{ groupId: config.GROUP_ID, topic: config.EVENTS_TOPIC }],
    intervalMs: config.LAG_METRICS_INTERVAL_MS,
  });
  shutdown.add('lag metrics', () => lag.stop());
  const ops = await startOpsServer({ port: config.OPS_PORT, host: config.OPS_HOST, registry, ready: detector.ready });
  shutdown.add('ops server', () => ops.close());
  log.info('detecting', { eventsTopic: config.EVENTS_TOPIC, anomaliesTopic: config.ANOMALIES_TOPIC, ...params, ops: ops.url });
}

main().catch((error: unknown) => {
  createLogger('detector').error('detector failed', { error });
  process.exit(1);
});
