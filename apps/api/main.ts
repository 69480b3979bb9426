// The API: latest sensor averages (and their live stream), processed images and presigned upload URLs.
import { createLogger } from '../lib/log';
import { createShutdown } from '../lib/shutdown';
import { startApi } from './api';
import { readApiConfig } from './config';

async function main(): Promise<void> {
  const config = readApiConfig();
  const log = createLogger('api', config.LOG_LEVEL);
  const shutdown = createShutdown({ log });
  const api = await startApi(config, log);
  shutdown.add('stop the api', () => api.stop());
}

main().catch((error: unknown) => {
  // Config errors name the variable; anything else at start-up is a crash the orchestrator restarts.
  createLogger('api').error('failed to start', { error });
  process.exit(1);
});
