// Polls what the test-bed cluster reports until it says what a test waits for, with the last answer in the failure.
import { setTimeout as sleep } from 'node:timers/promises';

/** Calls `probe` every `intervalMs` until it returns true; fails after `timeoutMs` with what `describe` says then. */
export async function eventually(
  what: string,
  probe: () => boolean | Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; describe?: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not after ${options.timeoutMs / 1000} s${options.describe ? `\n${options.describe()}` : ''}`);
    }
    await sleep(options.intervalMs ?? 1_000);
  }
}
