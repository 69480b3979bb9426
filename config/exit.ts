// Runs an entry point; invalid configuration prints its paths and exits 1 before anything is written.
import { ConfigError } from './errors';

/**
 * Runs `run`. A ConfigError prints its lines; any other error prints its message without the stack trace
 * (WOLKE_DEBUG=1 shows it); both exit 1.
 */
export function exitOnConfigError(run: () => void): void {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    if (process.env.WOLKE_DEBUG) throw err;
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n(WOLKE_DEBUG=1 shows where)\n`);
    process.exit(1);
  }
}
