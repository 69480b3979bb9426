// The image processor: turns MinIO upload notifications from Kafka into renditions in the processed bucket.
import pLimit from 'p-limit';
import { createKafkaMetrics, groupLag } from '../lib/consumer-lag';
import { createKafka, producerDefaults } from '../lib/kafka';
import { createLogger } from '../lib/log';
import { createMinio } from '../lib/minio';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import { runPeriodically } from '../lib/periodic';
import { createShutdown } from '../lib/shutdown';
import { StorageAccess, refusalCode } from '../lib/storage-access';
import { defaultBackoff } from './backoff';
import { createBatchHandler } from './batch-handler';
import { readProcessorConfig } from './config';
import { createProcessorMetrics } from './metrics';
import { createReconciler } from './reconciler';

async function main(): Promise<void> {
  const config = readProcessorConfig();
  const log = createLogger('processor', config.LOG_LEVEL);
  const shutdown = createShutdown({ log });
  const registry = createMetricsRegistry('processor');
  const metrics = createProcessorMetrics(registry);

  const kafka = createKafka(config, log);
  const minio = createMinio(config);
  const producer = kafka.producer(producerDefaults);
  const admin = kafka.admin();
  const consumer = kafka.consumer({ groupId: config.GROUP_ID, sessionTimeout: config.SESSION_TIMEOUT_MS });
  const access = new StorageAccess(log, (refused) => metrics.storageRefused.set(refused ? 1 : 0));

  // Ready while the consumer is in its group and MinIO accepts the processor; a crash that kafkajs restarts from
  // makes it unready until it rejoins. The member holding the source topic's partition 0 also reconciles, so one
  // processor of the group does, whatever the replica count.
  let inGroup = false;
  let reconciles = false;
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    inGroup = true;
    reconciles = (event.payload.memberAssignment[config.SOURCE_TOPIC] ?? []).includes(0);
  });
  consumer.on(consumer.events.CRASH, (event) => {
    inGroup = false;
    reconciles = false;
    log.error('consumer crashed', { error: event.payload.error, restart: event.payload.restart });
    if (!event.payload.restart) void shutdown.run('consumer crashed without restart');
  });

  const ops = await startOpsServer({
    port: config.OPS_PORT,
    host: config.OPS_HOST,
    registry,
    ready: () => inGroup && access.current === undefined,
  });

  const reconciler = createReconciler({
    minio,
    producer,
    sourceTopic: config.SOURCE_TOPIC,
    uploadsBucket: config.UPLOADS_BUCKET,
    processedBucket: config.PROCESSED_BUCKET,
    renditions: config.RENDITIONS,
    graceMs: config.RECONCILE_GRACE_MS,
    maxPerPass: config.RECONCILE_MAX_PER_PASS,
    maxLag: config.RECONCILE_MAX_LAG,
    lag: () => groupLag(admin, config.GROUP_ID, config.SOURCE_TOPIC),
    metrics,
    log,
  });
  // A refusal while listing makes the processor unready like one while processing; anything else is logged.
  const reportStorageError = (during: string) => (error: unknown) => {
    const code = refusalCode(error);
    if (code !== undefined) access.refused(code, (error as Error).message, during);
    else log.warn(`${during} failed`, { error });
  };
  const reconciling = runPeriodically(
    async () => {
      if (!reconciles) return;
      await reconciler.pass();
      access.accepted('reconcile pass');
    },
    { intervalMs: config.RECONCILE_INTERVAL_MS, onError: reportStorageError('reconcile pass') },
  );
  // Lag per partition and the topics' partition health for Prometheus; every replica reports the same, alerts take the max.
  const kafkaMetrics = createKafkaMetrics(registry, admin, { groups: [{ groupId: config.GROUP_ID, topic: config.SOURCE_TOPIC }], partitionHealth: true });
  const measuringKafka = runPeriodically(() => kafkaMetrics.refresh(), {
    intervalMs: config.LAG_METRICS_INTERVAL_MS,
    onError: (error) => log.warn('reading consumer lag failed', { error }),
  });
  // Every processor checks its buckets now and then, so a wrong secret shows while no upload arrives.
  const checkingAccess = runPeriodically(
    async () => {
      for (const bucket of [config.UPLOADS_BUCKET, config.PROCESSED_BUCKET]) {
        if (!(await minio.bucketExists(bucket))) throw Object.assign(new Error(`bucket ${bucket} does not exist`), { code: 'NoSuchBucket' });
      }
      access.accepted('bucket access check');
    },
    { intervalMs: config.ACCESS_CHECK_INTERVAL_MS, firstDelayMs: 0, onError: reportStorageError('bucket access check') },
  );

  // Steps run in order: the periodic work stops first (it publishes with the producer); disconnecting the consumer
  // stops fetching, waits for the running batches (whose retry waits the shutdown signal has cut short) and commits
  // what they resolved; then the producer goes.
  shutdown.add('stop reconciling, access checks and lag metrics', async () => {
    await Promise.all([reconciling.stop(), checkingAccess.stop(), measuringKafka.stop()]);
  });
  shutdown.add('stop consuming and commit', () => consumer.disconnect());
  shutdown.add('disconnect producer and admin', async () => {
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  });
  shutdown.add('close ops server', () => ops.close());

  await producer.connect();
  await admin.connect();
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
      ...(config.RESULTS_TOPIC === undefined ? {} : { announceTopic: config.RESULTS_TOPIC }),
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
      access,
    }),
  });
  log.info('processing', {
    sourceTopic: config.SOURCE_TOPIC,
    dlqTopic: config.DLQ_TOPIC,
    resultsTopic: config.RESULTS_TOPIC,
    processedBucket: config.PROCESSED_BUCKET,
    renditions: config.RENDITIONS,
    concurrency: config.CONCURRENCY,
    reconcile: { uploadsBucket: config.UPLOADS_BUCKET, intervalMs: config.RECONCILE_INTERVAL_MS, graceMs: config.RECONCILE_GRACE_MS },
    ops: ops.url,
  });
}

main().catch((error: unknown) => {
  // Config errors name the variable; anything else at start-up is a crash the orchestrator restarts.
  createLogger('processor').error('failed to start', { error });
  process.exit(1);
});
