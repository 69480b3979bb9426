// Wires one API instance: results consumer, image store, routes on the ops server; used by main.ts and by the tests.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Client } from 'minio';
import { createKafka } from '../lib/kafka';
import type { Logger } from '../lib/log';
import { createMinio, minioClientOptions } from '../lib/minio';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import type { ApiConfig } from './config';
import { ImageStore } from './image-store';
import { createApiMetrics } from './metrics';
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
  const images = new ImageStore({
    client: createMinio(config),
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
    indexMaxAgeMs: config.IMAGES_MAX_AGE_MS,
    onIndexRefreshError: (error) => log.warn('refreshing the processed listing failed; serving the previous one', { error }),
  });
  const groupId = `${config.GROUP_ID}-${hostname()}-${randomUUID().slice(0, 8)}`;
  const consumer = await startResultsConsumer({
    kafka: createKafka(config, log),
    topic: config.RESULTS_TOPIC,
    groupId,
    backlog: config.RESULTS_BACKLOG,
    averages,
    metrics,
    onInvalid: (reason, partition, offset) => log.warn('skipped invalid result', { reason, partition, offset }),
  });
  const server = await startOpsServer({
    port: config.OPS_PORT,
    host: config.OPS_HOST,
    registry,
    ready: () => consumer.isReady(),
    routes: (app) =>
      registerApiRoutes(app, {
        averages,
        images,
        metrics,
        maxUploadBytes: config.MAX_UPLOAD_BYTES,
        onServerError: (error, route) => log.error('request failed', { route, error }),
      }),
  });
  log.info('serving', { url: server.url, resultsTopic: config.RESULTS_TOPIC, groupId, processedBucket: config.PROCESSED_BUCKET });
  return {
    url: server.url,
    port: server.port,
    stop: async () => {
      await consumer.stop();
      await server.close();
    },
  };
}
