// How the CLI fails: a usage or model error exits 2 before anything is done, anything else exits 1; one line each.
import { ConfigError } from '../../config/errors';

/** Bad arguments: nothing was read from the cluster or written. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A step that failed, with its cause in one line (Ansible's reason, a missing tool, no cluster). */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}

/** Exit codes, as in most CLIs: 0 done, 1 failed, 2 bad arguments or an invalid model (nothing was written). */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** The lines to print and the exit code for any error; a stack only with WOLKE_DEBUG set. */
export function describeFailure(error: unknown, debug = false): { lines: string[]; code: number } {
  if (error instanceof ConfigError) return { lines: ['invalid environment:', ...error.lines.map((l) => `  ${l}`)], code: EXIT.usage };
  if (error instanceof UsageError) return { lines: [error.message, 'run with --help for usage'], code: EXIT.usage };
  if (error instanceof CommandFailure) return { lines: [error.message], code: EXIT.failed };
  const message = error instanceof Error ? error.message : String(error);
  const stack = debug && error instanceof Error && error.stack ? [error.stack] : [];
  return { lines: [`error: ${message.split('\n')[0]}`, ...stack], code: EXIT.failed };
}
