// Serves the built UI (long-cached hashed assets, never-cached index.html) and, in local mode, proxies /api to the API.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyHttpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface WebRoutesOptions {
  /** Folder with index.html and assets/. */
  root: string;
  /** Proxy /api/* to this URL with the prefix stripped (local mode). */
  apiProxyTarget?: string;
}

/** Whether the built UI is there to serve: /readyz stays 503 without it. */
export function hasBuiltUi(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

/** Cache policy by path: Vite names assets by content hash, so they never change; the page must be revalidated. */
export function cacheControlFor(path: string): string {
  return /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export async function registerWebRoutes(app: FastifyInstance, options: WebRoutesOptions): Promise<void> {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    // Thumbnail links carry presigned query strings; they must not leak to other sites as a Referer.
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  });
  if (options.apiProxyTarget !== undefined) {
    await app.register(fastifyHttpProxy, {
      upstream: options.apiProxyTarget,
      prefix: '/api',
      rewritePrefix: '',
      replyOptions: {
        // An API that is down is the upstream's fault: 502 with a message the UI shows, not a 500.
        onError: (reply) => {
          void reply.code(502).send({ error: 'the API is not reachable' });
        },
      },
    });
  }
  await app.register(fastifyStatic, {
    root: options.root,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (response, path) => response.header('Cache-Control', cacheControlFor(path)),
  });
}
