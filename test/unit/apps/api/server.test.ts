// Routes that answer without Kafka or a reachable MinIO: validation, signing (a local computation), ops endpoints.
import Fastify from 'fastify';
import { Client } from 'minio';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../../../apps/api/image-store';
import { createApiMetrics } from '../../../../apps/api/metrics';
import { RecentAnomalies } from '../../../../apps/api/recent-anomalies';
import { ReportStore } from '../../../../apps/api/report-store';
import { SensorAverages } from '../../../../apps/api/sensor-averages';
import { registerApiRoutes } from '../../../../apps/api/server';

// Nothing listens there: any request to it would fail the test, so passing shows signing makes none.
const unreachable = { endPoint: '127.0.0.1', port: 9, useSSL: false, accessKey: 'test-access', secretKey: 'test-secret-key', region: 'us-east-1' };
const averages = new SensorAverages();
const registry = new Registry();
const app = Fastify();
const anomalies = new RecentAnomalies(3);
registerApiRoutes(app, {
  averages,
  anomalies,
  reports: new ReportStore({ client: new Client(unreachable), bucket: 'lake', prefix: 'reports/sensor-daily', cacheMs: 60_000 }),
  images: new ImageStore({
    client: new Client(unreachable),
    signer: new Client({ ...unreachable, endPoint: 'images.example.test', port: 443, useSSL: true }),
    uploadsBucket: 'uploads',
    processedBucket: 'processed',
    urlExpirySeconds: 300,
  }),
  metrics: createApiMetrics(registry),
  maxUploadBytes: 5 * 1024 * 1024,
});
afterAll(() => app.close());

describe('api routes', () => {
  it('serves the recent anomalies newest first, each reading once, the oldest dropped past the limit, by sensor', async () => {
    const anomaly = (id: string, sensor: string, ts: number) => ({ id, sensor, ts, value: 90, score: 7, expected: 20 });
    for (const a of [anomaly('a', 'A', 1), anomaly('b', 'B', 3), anomaly('c', 'A', 2), anomaly('b', 'B', 3), anomaly('d', 'A', 4)]) anomalies.add(a);
    const all = await app.inject({ method: 'GET', url: '/anomalies' });
    expect(all.json().anomalies.map((a: { id: string }) => a.id)).toEqual(['d', 'b', 'c']);
    const ofA = await app.inject({ method: 'GET', url: '/anomalies?sensor=A&limit=1' });
    expect(ofA.json().anomalies.map((a: { id: string }) => a.id)).toEqual(['d']);
    const bad = await app.inject({ method: 'GET', url: '/anomalies?limit=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('limit: must be between 1 and 500');
  });

  it('answers /reports with 503 when the lake cannot be reached', async () => {
    const response = await app.inject({ method: 'GET', url: '/reports' });
    expect(response.statusCode).toBe(503);
  });

  it('signs an upload URL for the public endpoint with the key the API chose', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/images/upload-url',
      payload: { filename: 'Holiday Photo.JPG', contentType: 'image/jpeg', size: 2048 },
    });
    expect(response.statusCode).toBe(201);
    const ticket = response.json();
    expect(ticket.key).toMatch(/^\d{4}-\d{2}-\d{2}\/[0-9a-f-]{36}-holiday-photo\.jpg$/);
    expect(ticket.source).toBe(ticket.key.replace(/\.jpg$/, ''));
    expect(ticket.method).toBe('PUT');
    expect(ticket.headers).toEqual({ 'Content-Type': 'image/jpeg' });
    const url = new URL(ticket.url);
    expect(url.origin).toBe('https://images.example.test');
    expect(url.pathname).toBe(`/uploads/${ticket.key}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(ticket.url).not.toContain('test-secret-key');
  });

  it.each([
    [{ filename: 'a.svg', contentType: 'image/svg+xml', size: 10 }, 400, /^contentType must be one of image\/jpeg, image\/png/],
    [{ filename: 'a.jpg', contentType: 'image/jpeg', size: 6 * 1024 * 1024 }, 400, /^size must be at most 5 MiB \(5242880 bytes\)$/],
    [{ contentType: 'image/jpeg', size: 10 }, 400, /filename/],
  ])('refuses the upload request %o', async (payload, status, message) => {
    const response = await app.inject({ method: 'POST', url: '/images/upload-url', payload });
    expect(response.statusCode).toBe(status);
    expect(response.json().error).toMatch(message);
  });

  it('refuses malformed, oversized and non-JSON bodies with 4xx', async () => {
    const malformed = await app.inject({ method: 'POST', url: '/images/upload-url', headers: { 'content-type': 'application/json' }, payload: '{"filename":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatch(/JSON/i);

    const huge = await app.inject({ method: 'POST', url: '/images/upload-url', payload: { filename: 'x'.repeat(20_000), contentType: 'image/png', size: 1 } });
    expect(huge.statusCode).toBe(413);

    const text = await app.inject({ method: 'POST', url: '/images/upload-url', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(text.statusCode).toBe(415);

    const none = await app.inject({ method: 'POST', url: '/images/upload-url' });
    expect(none.statusCode).toBe(400);
  });

  it('refuses bad image queries before touching the store', async () => {
    const response = await app.inject({ method: 'GET', url: '/images?limit=0' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('limit must be at least 1');
    const traversal = await app.inject({ method: 'GET', url: '/images?prefix=../secrets' });
    expect(traversal.statusCode).toBe(400);
  });

  it('serves the averages it holds, counts requests and answers a JSON 404', async () => {
    averages.apply({ sensor: 'A', avg: 20.25, count: 20, windowEnd: 1_700_000_000_000 });
    expect((await app.inject('/sensors')).json()).toEqual({ sensors: [{ sensor: 'A', avg: 20.25, count: 20, windowEnd: 1_700_000_000_000 }] });
    const metrics = { body: await registry.metrics() };
    expect(metrics.body).toMatch(/api_http_requests_total\{method="POST",route="\/images\/upload-url",status="201"\} 1/);
    expect(metrics.body).toMatch(/api_upload_urls_signed_total 1/);
    const missing = await app.inject('/nope?x=1');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'no route GET /nope' });
  });
});
