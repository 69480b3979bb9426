// A consumer's lag on /metrics: its own admin client reads the group's offsets periodically until shutdown.
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { createKafkaMetrics, type KafkaMetricsOptions } from './consumer-lag';
import type { Logger } from './log';
import { runPeriodically } from './periodic';

export interface LagMetricsOptions extends KafkaMetricsOptions {
  /** How often the offsets are read (LAG_METRICS_INTERVAL_MS). */
  readonly intervalMs: number;
}

/**
 * Registers the lag gauges of `options.groups` and keeps them current; a failed read is logged and tried again at the
 * next interval. Resolves once the admin client is connected; `stop` ends the reads and disconnects it.
 */
export async function startLagMetrics(kafka: Kafka, registry: Registry, log: Logger, options: LagMetricsOptions): Promise<{ stop(): Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  const metrics = createKafkaMetrics(registry, admin, options);
  const measuring = runPeriodically(() => metrics.refresh(), {
    intervalMs: options.intervalMs,
    onError: (error) => log.warn('reading consumer lag failed', { error }),
  });
  return {
    async stop() {
      await measuring.stop();
      await admin.disconnect();
    },
  };
}
