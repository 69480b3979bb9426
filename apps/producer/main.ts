// Entry point of the producer: config → Kafka → paced send loop → ops server → graceful shutdown.
import { Counter } from 'prom-client';
import { readConfig } from '../lib/config';
import { createKafka } from '../lib/kafka';
import { createLogger } from '../lib/log';
import { APP_METRICS } from '../lib/metric-names';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import { createShutdown } from '../lib/shutdown';
import { producerEnv } from './config';
import { runProducer } from './produce';

async function main(): Promise<void> {
  const config = readConfig(producerEnv);
  const log = createLogger('producer', config.LOG_LEVEL);
  const shutdown = createShutdown({ log });
  const registry = createMetricsRegistry('producer');
  const sent = new Counter({
    name: APP_METRICS.producerEventsSent,
    help: 'Sensor events acknowledged by Kafka.',
    registers: [registry],
  });
  const kafka = createKafka(config, log);
  let sending = false;
  const ops = await startOpsServer({ port: config.OPS_PORT, host: config.OPS_HOST, registry, ready: () => sending });

  log.info('producing', {
    eventsTopic: config.EVENTS_TOPIC,
    sensors: config.SENSORS,
    ratePerSecond: config.RATE_PER_SECOND,
    count: config.COUNT,
    anomalyRate: config.ANOMALY_RATE,
    ops: ops.url,
  });
  // The loop ends on its own after COUNT events, or when a signal aborts it; either way it drains first.
  const loop = runProducer(
    kafka,
    {
      eventsTopic: config.EVENTS_TOPIC,
      sensors: config.SENSORS,
      ratePerSecond: config.RATE_PER_SECOND,
      anomalyRate: config.ANOMALY_RATE,
      anomalyMagnitude: config.ANOMALY_MAGNITUDE,
      ...(config.COUNT === undefined ? {} : { count: config.COUNT }),
    },
    shutdown.signal,
    (count) => {
      sending = true;
      sent.inc(count);
    },
  );
  shutdown.add('send loop', async () => {
    await loop;
  });
  shutdown.add('ops server', () => ops.close());
  const total = await loop;
  log.info('sent', { events: total });
  await shutdown.run(config.COUNT !== undefined && total >= config.COUNT ? 'count reached' : 'send loop ended');
}

main().catch((error: unknown) => {
  createLogger('producer').error('producer failed', { error });
  process.exit(1);
});
