// The HTTP server every app runs for Kubernetes and Prometheus: /healthz, /readyz and /metrics (prom-client).
import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** A prom-client registry with Node's default metrics, every series labelled with the app. */
export function createMetricsRegistry(app: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export interface OpsServerOptions {
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  /** Address to bind; all interfaces in a pod, 127.0.0.1 in tests. */
  host?: string;
  /** Whether the app can take work now (connected, assigned); /readyz answers 503 until it says yes. */
  ready?: () => boolean | Promise<boolean>;
  /** Registry served on /metrics. */
  registry: Registry;
  /** Adds the app's own routes (the api serves its routes on the ops port). */
  routes?: (app: FastifyInstance) => void | Promise<void>;
}

export interface OpsServer {
  app: FastifyInstance;
  /** The port actually bound. */
  port: number;
  /** http://host:port of the server, for logs and tests. */
  url: string;
  close(): Promise<void>;
}

/** Starts the ops server and resolves once it listens. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const app = Fastify({ logger: false });
  const ready = options.ready ?? (() => true);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    let isReady = false;
    try {
      isReady = await ready();
    } catch {
      isReady = false;
    }
    return reply.code(isReady ? 200 : 503).send({ status: isReady ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', options.registry.contentType).send(await options.registry.metrics()),
  );
  if (options.routes) await options.routes(app);
  const host = options.host ?? '0.0.0.0';
  await app.listen({ port: options.port, host });
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return { app, port, url: `http://${shownHost}:${port}`, close: () => app.close() };
}
