// The local pipeline's wiring: each app's environment fits that app's own config schema, topics fit one broker,
// rendition keys follow the apps contract, and sample images are real images.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';
import { readConfig } from '../../../apps/lib/config';
import { aggregatorEnv } from '../../../apps/aggregator/config';
import { apiEnv } from '../../../apps/api/config';
import { detectorEnv } from '../../../apps/detector/config';
import { lakeSinkEnv } from '../../../apps/lake-sink/config';
import { processorEnv } from '../../../apps/processor/config';
import { producerEnv } from '../../../apps/producer/config';
import { webEnv } from '../../../apps/web/config';
import { appEnvironment, localTopics, pipelineApps, type PipelineEndpoints } from '../../../scripts/pipeline-apps';
import { samplePixels, sampleImages } from '../../../scripts/sample-images';

const model = loadEnvironment('example', undefined).apps;
const endpoints: PipelineEndpoints = {
  kafkaBrokers: ['127.0.0.1:9092'],
  minio: { endpoint: 'http://127.0.0.1:9000', accessKey: 'local-user', secretKey: 'local-secret' },
  ports: { processor: 8101, aggregator: 8102, api: 8103, producer: 8104, web: 8105, detector: 8106, 'lake-sink': 8107 },
};

describe('appEnvironment', () => {
  it('gives each app an environment its own schema accepts, on loopback and its own port', () => {
    const schemas = { processor: processorEnv, aggregator: aggregatorEnv, detector: detectorEnv, 'lake-sink': lakeSinkEnv, api: apiEnv, producer: producerEnv, web: webEnv };
    for (const app of pipelineApps) {
      const config = readConfig(schemas[app], appEnvironment(app, model, endpoints)) as { OPS_PORT: number; OPS_HOST: string };
      expect(config.OPS_PORT).toBe(endpoints.ports[app]);
      expect(config.OPS_HOST).toBe('127.0.0.1');
    }
  });

  it('takes renditions, sensors, the window and the detector parameters from the model', () => {
    const processor = readConfig(processorEnv, appEnvironment('processor', model, endpoints));
    expect(processor.RENDITIONS).toEqual(model.processor.renditions);
    expect(processor.PROCESSED_BUCKET).toBe(model.buckets.processed);
    expect(readConfig(producerEnv, appEnvironment('producer', model, endpoints)).SENSORS).toEqual(model.producer.sensors);
    expect(readConfig(aggregatorEnv, appEnvironment('aggregator', model, endpoints)).WINDOW_SIZE).toBe(model.aggregator.window);
    expect(readConfig(producerEnv, appEnvironment('producer', model, endpoints)).ANOMALY_RATE).toBe(model.producer.anomalyRate);
    expect(readConfig(detectorEnv, appEnvironment('detector', model, endpoints))).toMatchObject({
      DETECTOR_ALPHA: model.detector.alpha,
      DETECTOR_THRESHOLD: model.detector.threshold,
      DETECTOR_WARMUP: model.detector.warmup,
      ANOMALIES_TOPIC: 'anomalies',
    });
    expect(readConfig(lakeSinkEnv, appEnvironment('lake-sink', model, endpoints)).LAKE_BUCKET).toBe(model.buckets.lake);
  });

  it('points the web proxy at the api and the api at the public MinIO endpoint', () => {
    expect(appEnvironment('web', model, endpoints).API_PROXY_TARGET).toBe('http://127.0.0.1:8103');
    expect(appEnvironment('api', model, endpoints).MINIO_PUBLIC_ENDPOINT).toBe('http://127.0.0.1:9000');
  });
});

describe('localTopics', () => {
  it('keeps partitions and sets replication 1 for the single test-bed broker', () => {
    const topics = localTopics(model.topics);
    expect(Object.keys(topics).sort()).toEqual(['anomalies', 'events', 'lake.dlq', 'minio-events', 'minio-events.dlq', 'results']);
    expect(topics['minio-events']).toEqual({ partitions: model.topics['minio-events'].partitions, replication: 1 });
  });
});

describe('sample images', () => {
  it('fills every pixel of the gradient', () => {
    const pixels = samplePixels(4, 2, [0, 0, 0], [200, 100, 50]);
    expect(pixels.length).toBe(4 * 2 * 3);
    expect(pixels[0]).toBe(0);
    expect(pixels[pixels.length - 3]).toBeGreaterThan(100);
  });

  it('are decodable images of the stated type and size', async () => {
    const samples = await sampleImages('samples');
    expect(samples.map((s) => s.key)).toEqual(['samples/sunset.jpg', 'samples/sea.png', 'samples/forest-panorama.jpg']);
    const metadata = await Promise.all(samples.map((s) => sharp(s.body).metadata()));
    expect(metadata.map((m) => [m.format, m.width, m.height])).toEqual([
      ['jpeg', 1600, 1200],
      ['png', 900, 900],
      ['jpeg', 2400, 800],
    ]);
  });
});
