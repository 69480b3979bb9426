// The start-up of an app whose work is one consumer group loop: logger, graceful shutdown, metrics, Kafka, the loop,
// its lag on /metrics and the ops server, wired the same way for every such app.
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { CommonConfig, KafkaConfig } from './config';
import { createKafka } from './kafka';
import { startLagMetrics } from './lag-metrics';
import { createLogger, type Logger } from './log';
import { createMetricsRegistry, startOpsServer } from './ops-server';
import { createShutdown } from './shutdown';

/** A running consumer loop. */
export interface ConsumerLoop {
  ready(): boolean;
  stop(): Promise<void>;
}

/** What the loop is given: the clients and where to report, and `onCrash` to call when its consumer stops for good. */
export interface ConsumerLoopContext {
  kafka: Kafka;
  registry: Registry;
  log: Logger;
  onCrash: () => void;
}

export interface ConsumerAppOptions<C extends CommonConfig & KafkaConfig & { GROUP_ID: string; LAG_METRICS_INTERVAL_MS: number }> {
  /** The app's name: the logger's and the metrics' prefix. */
  name: string;
  config: C;
  /** The topics the group reads, for the lag series on /metrics. */
  topics: readonly string[];
  start(context: ConsumerLoopContext): Promise<ConsumerLoop>;
  /** The log line that says the app runs, and the fields it carries. */
  started: { message: string; fields: Record<string, unknown> };
}

/** Starts a consumer app; a crashed consumer makes the process exit non-zero, so Kubernetes restarts it instead of leaving it idle. */
export async function runConsumerApp<C extends CommonConfig & KafkaConfig & { GROUP_ID: string; LAG_METRICS_INTERVAL_MS: number }>(
  options: ConsumerAppOptions<C>,
): Promise<void> {
  const { config, name } = options;
  const log = createLogger(name, config.LOG_LEVEL);
  let crashed = false;
  const shutdown = createShutdown({ log, exit: (code) => process.exit(crashed ? 1 : code) });
  const registry = createMetricsRegistry(name);
  const kafka = createKafka(config, log);

  const loop = await options.start({
    kafka,
    registry,
    log,
    onCrash: () => {
      crashed = true;
      void shutdown.run('consumer crashed');
    },
  });
  shutdown.add(name, () => loop.stop());
  const lag = await startLagMetrics(kafka, registry, log, {
    groups: options.topics.map((topic) => ({ groupId: config.GROUP_ID, topic })),
    intervalMs: config.LAG_METRICS_INTERVAL_MS,
  });
  shutdown.add('lag metrics', () => lag.stop());
  const ops = await startOpsServer({ port: config.OPS_PORT, host: config.OPS_HOST, registry, ready: loop.ready });
  shutdown.add('ops server', () => ops.close());
  log.info(options.started.message, { ...options.started.fields, ops: ops.url });
}

/** Runs `main` and, when it fails before the app runs, logs why and exits non-zero. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    createLogger(name).error(`${name.replaceAll('-', ' ')} failed`, { error });
    process.exit(1);
  });
}
