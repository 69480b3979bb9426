// The API's own HTTP routes (Fastify): sensor averages, their live stream, processed images and upload URLs.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import { imagePageQuerySchema } from './image-page';
import type { ImageStore } from './image-store';
import type { ApiMetrics } from './metrics';
import type { RecentAnomalies } from './recent-anomalies';
import type { ReportStore } from './report-store';
import type { SensorAverages } from './sensor-averages';
import { z } from 'zod';
import { formatSseComment, formatSseEvent } from './sse';
import { uploadRequestSchema } from './upload-request';

export interface ApiRoutesOptions {
  averages: SensorAverages;
  /** The detector's recent anomalies, for /anomalies. */
  anomalies: RecentAnomalies;
  /** The latest daily report in the lake, for /reports. */
  reports: ReportStore;
  images: ImageStore;
  metrics: ApiMetrics;
  /** Largest upload this API signs a URL for, in bytes. */
  maxUploadBytes: number;
  /** Interval of keep-alive comments on the event stream. */
  streamKeepAliveMs?: number;
  /** Called with errors that became a 5xx answer, for the app's logger. */
  onServerError?: (error: unknown, route: string) => void;
}

/** `?sensor=A&limit=50` of /anomalies. */
const anomaliesQuerySchema = z.strictObject({
  sensor: z.string().min(1).max(64).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be between 1 and 500' }).max(500, { error: 'must be between 1 and 500' }).default(100),
});

/** Request bodies are tiny JSON documents; anything larger is refused before it is parsed. */
const bodyLimitBytes = 16 * 1024;

/** Adds the API routes to `app` (the ops server, which already serves /healthz, /readyz and /metrics). */
export function registerApiRoutes(app: FastifyInstance, options: ApiRoutesOptions): void {
  const { averages, images, metrics, maxUploadBytes } = options;
  const keepAliveMs = options.streamKeepAliveMs ?? 15_000;
  const uploadRequest = uploadRequestSchema(maxUploadBytes);
  const streams = new Set<ServerResponse>();

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

  app.get('/sensors', async () => ({ sensors: averages.snapshot() }));

  app.get('/anomalies', async (request, reply) => {
    const query = anomaliesQuerySchema.safeParse(request.query ?? {});
    if (!query.success) return reply.code(400).send({ error: describe(query.error) });
    return { anomalies: options.anomalies.list(query.data) };
  });

  app.get('/reports', async (_request, reply) => {
    try {
      return await options.reports.latest();
    } catch (error) {
      options.onServerError?.(error, '/reports');
      return reply.code(503).send({ error: 'the lake is not reachable; try again shortly' });
    }
  });

  app.get('/sensors/stream', (request, reply) => {
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Tells buffering proxies (nginx and alike) to pass events through at once.
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
      return reply.type('application/json; charset=utf-8').send(await images.pageJson(query.data));
    } catch (error) {
      options.onServerError?.(error, '/images');
      return reply.code(503).send({ error: 'the object store is not reachable; try again shortly' });
    }
  });

  app.post('/images/upload-url', { bodyLimit: bodyLimitBytes }, async (request, reply) => {
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
}

/** One line that names every bad field; messages that already start with the field name are kept as they are. */
function describe(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join('.');
      return field === '' || issue.message.startsWith(`${field} `) ? issue.message : `${field}: ${issue.message}`;
    })
    .join('; ');
}
