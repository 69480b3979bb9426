import Fastify from 'fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheControlFor, hasBuiltUi, registerWebRoutes } from '../../../../apps/web/static-server';

const root = mkdtempSync(join(tmpdir(), 'wolke-web-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('static web server', () => {
  it('caches hashed assets for a year and revalidates everything else', () => {
    expect(cacheControlFor('/srv/web/assets/index-Dqi4USGn.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('/srv/web/index.html')).toBe('no-cache');
    expect(cacheControlFor('/srv/web/assets/logo.svg')).toBe('no-cache');
  });

  it('serves the built page and assets with safe headers, and nothing outside its root', async () => {
    expect(hasBuiltUi(root)).toBe(false);
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>wolke</title>');
    writeFileSync(join(root, 'assets', 'index-AbCdEf12.js'), 'console.log(1)');
    writeFileSync(join(root, '..', 'wolke-web-secret.txt'), 'secret');
    expect(hasBuiltUi(root)).toBe(true);
    const app = Fastify();
    await registerWebRoutes(app, { root });
    try {
      const page = await app.inject('/');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>wolke</title>');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      const asset = await app.inject('/assets/index-AbCdEf12.js');
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.headers['content-type']).toMatch(/javascript/);
      expect((await app.inject('/../wolke-web-secret.txt')).statusCode).toBe(404);
      expect((await app.inject('/%2e%2e/wolke-web-secret.txt')).statusCode).toBe(404);
    } finally {
      await app.close();
      rmSync(join(root, '..', 'wolke-web-secret.txt'), { force: true });
    }
  });
});
