// Retries a step that fails while a dependency is still starting (MinIO or Kafka not up yet), a bounded number of times.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './log';

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
  /** Wait before the second try; doubles each time up to maxDelayMs. */
  delayMs: number;
  maxDelayMs?: number;
  log?: Logger;
  /** Stops waiting (and rethrows the last error) when aborted, e.g. on shutdown. */
  signal?: AbortSignal;
}

/** The wait before try number `attempt` (1-based; 0 before the first). */
export function backoffDelay(attempt: number, delayMs: number, maxDelayMs = 30_000): number {
  if (attempt <= 1) return 0;
  return Math.min(maxDelayMs, delayMs * 2 ** (attempt - 2));
}

/** Runs `step` until it succeeds or `attempts` are used up; then throws its last error. */
export async function retry<T>(what: string, step: () => Promise<T>, options: RetryOptions): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    const wait = backoffDelay(attempt, options.delayMs, options.maxDelayMs);
    if (wait > 0) {
      try {
        await sleep(wait, undefined, { signal: options.signal });
      } catch {
        break;
      }
    }
    try {
      return await step();
    } catch (error) {
      lastError = error;
      options.log?.warn(`${what} failed`, { attempt, attempts: options.attempts, error });
    }
  }
  throw lastError instanceof Error ? lastError : new Error(`${what} failed: ${String(lastError)}`);
}
