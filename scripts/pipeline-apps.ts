// What the local pipeline runs: the apps it knows, and the environment each gets from the model and the test bed.
import type { Environment } from '../config/schema';
import type { TopicSpec } from '../apps/lib/setup';
import { appEnvironment as modelAppEnvironment, type AppWiring } from '../contracts/app-environment';

/** Apps the pipeline starts when apps/<name>/main.ts exists, in start order (consumers before the producer). */
export const pipelineApps = ['processor', 'aggregator', 'detector', 'lake-sink', 'api', 'producer', 'web'] as const;
export type PipelineApp = (typeof pipelineApps)[number];

/** Where the test bed and the apps listen. */
export interface PipelineEndpoints {
  kafkaBrokers: string[];
  /** The MinIO root credentials: setup only. */
  minio: { endpoint: string; accessKey: string; secretKey: string };
  /** The MinIO identity setup made for each app that talks to MinIO; without one, the app gets the root's. */
  identities?: Partial<Record<'processor' | 'api' | 'lake-sink', { accessKey: string; secretKey: string }>>;
  /** OPS_PORT of each app. */
  ports: Record<PipelineApp, number>;
}

/** The model's topics for a one-broker test bed: same partitions, replication 1. */
export function localTopics(topics: Environment['apps']['topics']): Record<string, TopicSpec> {
  return Object.fromEntries(Object.entries(topics).map(([name, t]) => [name, { partitions: t.partitions, replication: 1 }]));
}

/** The test bed's side of the apps contract: its processes, each app's own port, the identity setup made for it. */
export function localWiring(endpoints: PipelineEndpoints): AppWiring<string> {
  return {
    kafkaBrokers: endpoints.kafkaBrokers.join(','),
    minioEndpoint: endpoints.minio.endpoint,
    // Locally the browser reaches MinIO where the test bed listens.
    minioPublicEndpoint: endpoints.minio.endpoint,
    minioCredentials: (app) => {
      const identity = app === 'report' ? undefined : endpoints.identities?.[app];
      return identity ?? { accessKey: endpoints.minio.accessKey, secretKey: endpoints.minio.secretKey };
    },
    opsPort: (app) => {
      if (app === 'report') throw new Error('the local pipeline does not run the report job');
      return endpoints.ports[app];
    },
    clientId: (app) => `wolke-${app}`,
  };
}

/** What differs on one machine from the cluster: ops servers on loopback, a lake that fills within seconds, the web proxy. */
function localExtras(app: PipelineApp, endpoints: PipelineEndpoints): Record<string, string> {
  switch (app) {
    case 'processor':
      return { CONCURRENCY: '2' };
    case 'lake-sink':
      // Locally the lake fills within seconds, so a short run shows files.
      return { ROLL_MS: '10000' };
    case 'web':
      return { API_PROXY_TARGET: `http://127.0.0.1:${endpoints.ports.api}` };
    default:
      return {};
  }
}

/** Environment variables of `app`: the apps contract (the same mapping the charts use) with the test bed's endpoints. */
export function appEnvironment(app: PipelineApp, model: Environment['apps'], endpoints: PipelineEndpoints): Record<string, string> {
  return { ...modelAppEnvironment(app, model, localWiring(endpoints)), OPS_HOST: '127.0.0.1', ...localExtras(app, endpoints) };
}
