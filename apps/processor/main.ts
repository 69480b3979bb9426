// The image processor: turns MinIO upload notifications from Kafka into renditions in the processed bucket.
import pLimit from 'p-limit';
import { createKafka, producerDefaults } from '../lib/kafka';
import { createLogger } from '../lib/log';
import { createMinio } from '../lib/minio';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import { createShutdown } from '../lib/shutdown';
import { defaultBackoff } from './backoff';
import { createBatchHandler } from './batch-handler';
import { readProcessorConfig } from './config';
import { createProcessorMetrics } from './metrics';

async function main(): Promise<void> {
  const config = readProcessorConfig();
  const log = createLogger('processor', config.LOG_LEVEL);
  const shutdown = createShutdown({ log });
  const registry = createMetricsRegistry('processor');
  const metrics = createProcessorMetrics(registry);

  const kafka = createKafka(config, log);
  const minio = createMinio(config);
  const producer = kafka.producer(producerDefaults);
  const consumer = kafka.consumer({ groupId: config.GROUP_ID, sessionTimeout: config.SESSION_TIMEOUT_MS });

  // Ready while the consumer is in its group; a crash that kafkajs restarts from makes it unready until it rejoins.
  let inGroup = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    inGroup = true;
  });
  consumer.on(consumer.events.CRASH, (event) => {
    inGroup = false;
    log.error('consumer crashed', { error: event.payload.error, restart: event.payload.restart });
    if (!event.payload.restart) void shutdown.run('consumer crashed without restart');
  });

  const ops = await startOpsServer({ port: config.OPS_PORT, host: config.OPS_HOST, registry, ready: () => inGroup });
  // Steps run in order: disconnecting the consumer stops fetching, waits for the running batches (whose retry
  // waits the shutdown signal has cut short) and commits what they resolved; then the DLQ producer goes.
  shutdown.add('stop consuming and commit', () => consumer.disconnect());
  shutdown.add('disconnect dead-letter producer', () => producer.disconnect());
  shutdown.add('close ops server', () => ops.close());

  await producer.connect();
  await consumer.connect();
  // A new group starts at the beginning: uploads notified before the first deployment are processed too.
  await consumer.subscribe({ topic: config.SOURCE_TOPIC, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    // The batch handler commits finished work inside long batches at most this often.
    autoCommitInterval: 1_000,
    partitionsConsumedConcurrently: config.CONCURRENCY,
    eachBatch: createBatchHandler({
      minio,
      producer,
      dlqTopic: config.DLQ_TOPIC,
      limits: {
        renditions: config.RENDITIONS,
        processedBucket: config.PROCESSED_BUCKET,
        maxBytes: config.MAX_BYTES,
        maxPixels: config.MAX_PIXELS,
      },
      limit: pLimit(config.CONCURRENCY),
      backoff: defaultBackoff,
      signal: shutdown.signal,
      metrics,
      log,
    }),
  });
  log.info('processing', {
    sourceTopic: config.SOURCE_TOPIC,
    dlqTopic: config.DLQ_TOPIC,
    processedBucket: config.PROCESSED_BUCKET,
    renditions: config.RENDITIONS,
    concurrency: config.CONCURRENCY,
    ops: ops.url,
  });
}

main().catch((error: unknown) => {
  // Config errors name the variable; anything else at start-up is a crash the orchestrator restarts.
  createLogger('processor').error('failed to start', { error });
  process.exit(1);
});
