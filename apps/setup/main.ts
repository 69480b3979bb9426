// The setup job: creates the pipeline's topics, buckets and bucket notification from the environment, then exits 0.
import { readConfig } from '../lib/config';
import { createLogger } from '../lib/log';
import { setupEnv } from './config';
import { runSetup } from './run';

async function main(): Promise<void> {
  const config = readConfig(setupEnv);
  const log = createLogger('setup', config.LOG_LEVEL);
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    log.warn('interrupted', { signal });
    controller.abort();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await runSetup(config, log, controller.signal);
  log.info('setup done');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    createLogger('setup').error('setup failed', { error });
    process.exit(1);
  },
);
