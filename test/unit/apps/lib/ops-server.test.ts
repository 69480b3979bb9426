// The ops server on loopback: liveness, readiness from the app's callback, and Prometheus metrics.
import { afterEach, describe, expect, it } from 'vitest';
import { Counter } from 'prom-client';
import { createMetricsRegistry, startOpsServer, type OpsServer } from '../../../../apps/lib/ops-server';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ops server', () => {
  it('answers /healthz, follows the readiness callback, and serves metrics with the app label', async () => {
    let ready = false;
    const registry = createMetricsRegistry('processor');
    const processed = new Counter({ name: 'wolke_objects_processed_total', help: 'objects processed', registers: [registry] });
    processed.inc(3);
    server = await startOpsServer({ port: 0, host: '127.0.0.1', registry, ready: () => ready });

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    ready = true;
    const readyz = await fetch(`${server.url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({ status: 'ready' });

    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('wolke_objects_processed_total{app="processor"} 3');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers 503 when the readiness callback throws, and serves the app routes', async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: createMetricsRegistry('api'),
      ready: () => {
        throw new Error('kafka gone');
      },
      routes: (app) => {
        app.get('/results', async () => ({ results: [] }));
      },
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect(await (await fetch(`${server.url}/results`)).json()).toEqual({ results: [] });
  });
});
