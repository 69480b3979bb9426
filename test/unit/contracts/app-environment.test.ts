// The one mapping from the model to an app's environment: the cluster and the local pipeline differ only in the wiring.
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';
import { appEnvironment, type EnvValue } from '../../../contracts/app-environment';
import { clusterWiring } from '../../../charts/app-env';
import { appEnvironment as localEnvironment, localWiring, pipelineApps, type PipelineEndpoints } from '../../../scripts/pipeline-apps';

const example = loadEnvironment('example', '');
const endpoints: PipelineEndpoints = {
  kafkaBrokers: ['127.0.0.1:9092'],
  minio: { endpoint: 'http://127.0.0.1:9000', accessKey: 'local-user', secretKey: 'local-secret' },
  ports: { processor: 8101, aggregator: 8102, api: 8103, producer: 8104, web: 8105, detector: 8106, 'lake-sink': 8107 },
};

/** Variables whose value is the wiring's (endpoints, identities, ports, client ids), not the model's. */
const wired = new Set(['KAFKA_BROKERS', 'KAFKA_CLIENT_ID', 'OPS_PORT', 'MINIO_ENDPOINT', 'MINIO_PUBLIC_ENDPOINT', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY']);
const fromModel = (env: Record<string, EnvValue>) => Object.fromEntries(Object.entries(env).filter(([name]) => !wired.has(name)));

describe('appEnvironment', () => {
  it('gives every app locally the variables and model values it gets in the cluster, plus only the local extras', () => {
    const localOnly = new Set(['OPS_HOST', 'CONCURRENCY', 'ROLL_MS', 'API_PROXY_TARGET']);
    for (const app of pipelineApps) {
      const cluster = appEnvironment(app, example.apps, clusterWiring(example));
      const local = localEnvironment(app, example.apps, endpoints);
      expect(Object.keys(local).filter((name) => !localOnly.has(name)), app).toEqual(Object.keys(cluster));
      expect(fromModel(local), app).toMatchObject(fromModel(cluster));
    }
  });

  it('takes credentials from Secrets in the cluster and as text from the test bed', () => {
    expect(appEnvironment('processor', example.apps, clusterWiring(example)).MINIO_SECRET_KEY).toEqual({ secret: 'minio-processor', key: 'secretKey' });
    expect(appEnvironment('processor', example.apps, localWiring(endpoints)).MINIO_SECRET_KEY).toBe('local-secret');
    const identities = { processor: { accessKey: 'processor-key', secretKey: 'processor-secret' } };
    expect(appEnvironment('processor', example.apps, localWiring({ ...endpoints, identities })).MINIO_ACCESS_KEY).toBe('processor-key');
  });
});
