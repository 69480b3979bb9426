// Wires one API instance: results consumer, image store, routes on the ops server; used by main.ts and by the tests.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Client } from 'minio';
import { createKafka } from '../lib/kafka';
import type { Logger } from '../lib/log';
import { createMinio, minioClientOptions } from '../lib/minio';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import { runPeriodically } from '../lib/periodic';
import { StorageAccess, refusalCode } from '../lib/storage-access';
import type { ApiConfig } from './config';
import { ImageStore } from './image-store';
import { createApiMetrics } from './metrics';
import { startAnomaliesConsumer, type AnomaliesConsumer } from './anomalies-consumer';
import { RecentAnomalies } from './recent-anomalies';
import { ReportStore } from './report-store';
import { startResultsConsumer } from './results-consumer';
import { SensorAverages } from './sensor-averages';
import { registerApiRoutes } from './server';

export interface RunningApi {
  /** http://host:port of the API. */
  url: string;
  port: number;
  /** Stops consuming, then closes the server (ending open event streams). */
  stop(): Promise<void>;
}

export async function startApi(config: ApiConfig, log: Logger): Promise<RunningApi> {
  const registry = createMetricsRegistry('api');
  const metrics = createApiMetrics(registry);
  const averages = new SensorAverages();
  // A refusal by MinIO (wrong secret, missing bucket or permission) makes the API unready, so a rollout with a bad
  // secret stops at its first pod; the sensors would still work, but that deploy needs a person.
  const access = new StorageAccess(log);
  const during = 'processed bucket';
  const onStorageError = (error: unknown) => {
    const code = refusalCode(error);
    if (code !== undefined) access.refused(code, (error as Error).message, during);
    else log.warn('reading the processed bucket failed; serving the previous listing', { error });
  };
  const minio = createMinio(config);
  const images = new ImageStore({
    client: minio,
    signer: new Client(
      minioClientOptions(config.MINIO_PUBLIC_ENDPOINT ?? config.MINIO_ENDPOINT, {
        accessKey: config.MINIO_ACCESS_KEY,
        secretKey: config.MINIO_SECRET_KEY,
        region: config.MINIO_REGION,
      }),
    ),
    uploadsBucket: config.UPLOADS_BUCKET,
    processedBucket: config.PROCESSED_BUCKET,
    urlExpirySeconds: config.URL_EXPIRY_SECONDS,
  });
  const groupId = `${config.GROUP_ID}-${hostname()}-${randomUUID().slice(0, 8)}`;
  const consumer = await startResultsConsumer({
    kafka: createKafka(config, log),
    topic: config.RESULTS_TOPIC,
    groupId,
    backlog: config.RESULTS_BACKLOG,
    averages,
    onRenditions: (bucket, renditions) => images.announced(bucket, renditions),
    metrics,
    onInvalid: (reason, partition, offset) => log.warn('skipped invalid result', { reason, partition, offset }),
  });
  const anomalies = new RecentAnomalies(config.ANOMALIES_KEEP);
  const reports = new ReportStore({ client: minio, bucket: config.LAKE_BUCKET, prefix: config.REPORT_PREFIX, cacheMs: config.REPORT_CACHE_MS });
  // The anomalies are an extra: a missing topic (a pipeline without the detector) retries in the background and never
  // keeps the API from serving or from being ready.
  let anomaliesConsumer: AnomaliesConsumer | undefined;
  const readingAnomalies = runPeriodically(
    async () => {
      if (anomaliesConsumer !== undefined) return;
      anomaliesConsumer = await startAnomaliesConsumer({
        kafka: createKafka(config, log),
        topic: config.ANOMALIES_TOPIC,
        groupId: `${groupId}-anomalies`,
        backlog: config.ANOMALIES_BACKLOG,
        recent: anomalies,
        onInvalid: (reason, partition, offset) => log.warn('skipped invalid anomaly', { reason, partition, offset }),
      });
    },
    { intervalMs: 10_000, firstDelayMs: 0, onError: (error) => log.warn('cannot read the anomalies topic yet; trying again', { topic: config.ANOMALIES_TOPIC, error }) },
  );
  const server = await startOpsServer({
    port: config.OPS_PORT,
    host: config.OPS_HOST,
    registry,
    ready: () => consumer.isReady() && access.current === undefined,
    routes: (app) =>
      registerApiRoutes(app, {
        averages,
        anomalies,
        reports,
        images,
        metrics,
        maxUploadBytes: config.MAX_UPLOAD_BYTES,
        onServerError: (error, route) => log.error('request failed', { route, error }),
      }),
  });
  // Started last, so a failed start leaves no timer behind. A HEAD of the bucket, not a listing: the listing pages are
  // cut from stays as requests keep it, and the API's policy allows exactly this on processed.
  const checkingAccess = runPeriodically(
    async () => {
      if (!(await minio.bucketExists(config.PROCESSED_BUCKET))) {
        throw Object.assign(new Error(`bucket ${config.PROCESSED_BUCKET} does not exist`), { code: 'NoSuchBucket' });
      }
      access.accepted(during);
    },
    { intervalMs: config.ACCESS_CHECK_INTERVAL_MS, firstDelayMs: 0, onError: onStorageError },
  );
  // The full listing runs at start, after the consumer is reading announcements (so none written during it is missed),
  // then as a repair now and then. A request before the first listing is done waits for it.
  const repairingIndex = runPeriodically(
    async () => {
      try {
        await images.repairIndex();
        metrics.indexRepairs.inc({ result: 'done' });
      } catch (error) {
        metrics.indexRepairs.inc({ result: 'failed' });
        throw error;
      }
    },
    { intervalMs: config.IMAGES_REPAIR_INTERVAL_MS, firstDelayMs: 0, onError: onStorageError },
  );
  log.info('serving', { url: server.url, resultsTopic: config.RESULTS_TOPIC, groupId, processedBucket: config.PROCESSED_BUCKET });
  return {
    url: server.url,
    port: server.port,
    stop: async () => {
      await Promise.all([checkingAccess.stop(), repairingIndex.stop(), readingAnomalies.stop()]);
      await Promise.all([consumer.stop(), anomaliesConsumer?.stop()]);
      await server.close();
    },
  };
}
