// Exponential backoff with jitter, and a retry loop for transient failures that a shutdown can interrupt.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Classified, classifyError } from './errors';

export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. */
  baseMs: number;
  /** Upper bound of any delay, in milliseconds. */
  maxMs: number;
}

// The cap stays well under the consumer's 30 s session timeout: the handler heartbeats before each wait.
export const defaultBackoff: BackoffOptions = { baseMs: 250, maxMs: 10_000 };

/**
 * Delay before retry number `attempt` (0-based): base·2^attempt capped at max, then jittered into its upper half
 * so that many processors hitting the same outage do not retry in lockstep. `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export interface RetryOptions {
  backoff: BackoffOptions;
  /** Aborting stops waiting for the next attempt; the pending work is then left undone (not dropped). */
  signal: AbortSignal;
  /** Called before each wait, e.g. to log and to heartbeat the consumer group; `failure` is transient or refused. */
  onRetry?: (attempt: number, delayMs: number, message: string, failure: Classified) => void | Promise<void>;
}

/**
 * Runs `work` until it succeeds or fails permanently (that error is rethrown). Transient failures and refusals of the
 * app are retried without limit (a refused upload is not the upload's fault); an aborted signal rejects instead.
 */
export async function retryTransient<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    options.signal.throwIfAborted();
    try {
      return await work();
    } catch (err) {
      const classified = classifyError(err);
      if (classified.kind === 'permanent') throw err;
      const delayMs = backoffDelay(attempt, options.backoff, Math.random());
      await options.onRetry?.(attempt, delayMs, classified.message, classified);
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}
