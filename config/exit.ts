// Runs an entry point; invalid configuration prints its paths and exits 1 before anything is written.
import { ConfigError } from './errors';

export function exitOnConfigError(run: () => void): void {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
