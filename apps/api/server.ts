// The API's HTTP routes (Fastify): sensor averages, their live stream, processed images and upload URLs, plus ops endpoints.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import { imagePageQuerySchema } from './image-page';
import type { ImageStore } from './image-store';
import type { ApiMetrics } from './metrics';
import type { SensorAverages } from './sensor-averages';
import { formatSseComment, formatSseEvent } from './sse';
import { uploadRequestSchema } from './upload-request';

export interface ApiServerOptions {
  averages: SensorAverages;
  images: ImageStore;
  metrics: ApiMetrics;
  /** Readiness: true once the results consumer has joined; `/readyz` answers 503 before. */
  isReady: () => boolean;
  /** Largest upload this API signs a URL for, in bytes. */
  maxUploadBytes: number;
  /** Interval of keep-alive comments on the event stream. */
  streamKeepAliveMs?: number;
  /** Called with errors that became a 5xx answer, for the app's logger. */
  onServerError?: (error: unknown, route: string) => void;
}

/** Request bodies are tiny JSON documents; anything larger is refused before it is parsed. */
const bodyLimitBytes = 16 * 1024;

export function buildApiServer(options: ApiServerOptions): FastifyInstance {
  const { averages, images, metrics, isReady, maxUploadBytes } = options;
  const keepAliveMs = options.streamKeepAliveMs ?? 15_000;
  const uploadRequest = uploadRequestSchema(maxUploadBytes);
  const streams = new Set<ServerResponse>();
  const app = Fastify({ logger: false, bodyLimit: bodyLimitBytes, return503OnClosing: true });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.requestSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: error.message });
    options.onServerError?.(error, request.routeOptions.url ?? request.url);
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));

  // Open event streams are hijacked responses that Fastify does not track; end them so close() does not wait on them.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => (isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' })));
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));

  app.get('/sensors', async () => ({ sensors: averages.snapshot() }));

  app.get('/sensors/stream', (request, reply) => {
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    streams.add(stream);
    metrics.streamClients.inc();
    stream.write('retry: 3000\n\n');
    stream.write(formatSseEvent({ event: 'snapshot', data: averages.snapshot() }));
    const unsubscribe = averages.subscribe((average) => stream.write(formatSseEvent({ event: 'average', data: average })));
    const keepAlive = setInterval(() => stream.write(formatSseComment('keep-alive')), keepAliveMs);
    request.raw.once('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(stream);
      metrics.streamClients.dec();
      stream.end();
    });
  });

  app.get('/images', async (request, reply) => {
    const query = imagePageQuerySchema.safeParse(request.query ?? {});
    if (!query.success) return reply.code(400).send({ error: describe(query.error) });
    try {
      return await images.page(query.data);
    } catch (error) {
      options.onServerError?.(error, '/images');
      return reply.code(503).send({ error: 'the object store is not reachable; try again shortly' });
    }
  });

  app.post('/images/upload-url', async (request, reply) => {
    const body = uploadRequest.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: describe(body.error) });
    try {
      const ticket = await images.uploadTicket(body.data);
      metrics.uploadUrlsSigned.inc();
      return reply.code(201).send(ticket);
    } catch (error) {
      options.onServerError?.(error, '/images/upload-url');
      return reply.code(503).send({ error: 'could not sign an upload URL; try again shortly' });
    }
  });

  return app;
}

/** One line that names every bad field, e.g. `contentType: contentType must be one of ...`. */
function describe(error: ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
