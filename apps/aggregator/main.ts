// Entry point of the aggregator: config → Kafka → window loop → ops server → graceful shutdown.
import { readConfig } from '../lib/config';
import { createKafka } from '../lib/kafka';
import { createLogger } from '../lib/log';
import { startLagMetrics } from '../lib/lag-metrics';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import { createShutdown } from '../lib/shutdown';
import { startAggregator } from './aggregate';
import { aggregatorEnv } from './config';
import { aggregatorObserver } from './metrics';

async function main(): Promise<void> {
  const config = readConfig(aggregatorEnv);
  const log = createLogger('aggregator', config.LOG_LEVEL);
  let crashed = false;
  // A crashed consumer makes the process exit non-zero, so Kubernetes restarts it instead of leaving it idle.
  const shutdown = createShutdown({ log, exit: (code) => process.exit(crashed ? 1 : code) });
  const registry = createMetricsRegistry('aggregator');
  const kafka = createKafka(config, log);

  const aggregator = await startAggregator(
    kafka,
    {
      eventsTopic: config.EVENTS_TOPIC,
      resultsTopic: config.RESULTS_TOPIC,
      windowSize: config.WINDOW_SIZE,
      groupId: config.GROUP_ID,
      sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
    },
    aggregatorObserver(registry, log, () => {
      crashed = true;
      void shutdown.run('consumer crashed');
    }),
  );
  shutdown.add('aggregator', () => aggregator.stop());
  const lag = await startLagMetrics(kafka, registry, log, {
    groups: [{ groupId: config.GROUP_ID, topic: config.EVENTS_TOPIC }],
    intervalMs: config.LAG_METRICS_INTERVAL_MS,
  });
  shutdown.add('lag metrics', () => lag.stop());
  const ops = await startOpsServer({ port: config.OPS_PORT, host: config.OPS_HOST, registry, ready: aggregator.ready });
  shutdown.add('ops server', () => ops.close());
  log.info('aggregating', {
    eventsTopic: config.EVENTS_TOPIC,
    resultsTopic: config.RESULTS_TOPIC,
    windowSize: config.WINDOW_SIZE,
    ops: ops.url,
  });
}

main().catch((error: unknown) => {
  createLogger('aggregator').error('aggregator failed', { error });
  process.exit(1);
});
