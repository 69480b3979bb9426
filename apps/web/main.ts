// The web tier: serves the built UI on OPS_PORT with /healthz, /readyz and /metrics; optionally proxies /api locally.
import { createLogger } from '../lib/log';
import { createMetricsRegistry, startOpsServer } from '../lib/ops-server';
import { createShutdown } from '../lib/shutdown';
import { readWebConfig } from './config';
import { hasBuiltUi, registerWebRoutes } from './static-server';

async function main(): Promise<void> {
  const config = readWebConfig();
  const log = createLogger('web', config.LOG_LEVEL);
  const shutdown = createShutdown({ log });
  if (!hasBuiltUi(config.WEB_ROOT)) log.warn('no built UI yet; run `npm run build:web`', { root: config.WEB_ROOT });
  const server = await startOpsServer({
    port: config.OPS_PORT,
    host: config.OPS_HOST,
    registry: createMetricsRegistry('web'),
    ready: () => hasBuiltUi(config.WEB_ROOT),
    routes: (app) =>
      registerWebRoutes(app, {
        root: config.WEB_ROOT,
        ...(config.API_PROXY_TARGET === undefined ? {} : { apiProxyTarget: config.API_PROXY_TARGET }),
      }),
  });
  shutdown.add('close the server', () => server.close());
  log.info('serving', { url: server.url, root: config.WEB_ROOT, apiProxyTarget: config.API_PROXY_TARGET });
}

main().catch((error: unknown) => {
  createLogger('web').error('failed to start', { error });
  process.exit(1);
});
