import { describe, expect, it } from 'vitest';
import { runPeriodically } from '../../../../apps/lib/periodic';

describe('runPeriodically', () => {
  it('stop waits for a run in progress that ends in time', async () => {
    let finished = false;
    const periodic = runPeriodically(
      async () => {
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
      },
      { intervalMs: 60_000, firstDelayMs: 0, onError: () => undefined },
    );
    await new Promise((r) => setTimeout(r, 5));
    await periodic.stop(1_000);
    expect(finished).toBe(true);
  });

  it('stop gives up on a run that hangs after maxWaitMs, and schedules nothing more', async () => {
    let runs = 0;
    const periodic = runPeriodically(
      async () => {
        runs++;
        await new Promise(() => undefined);
      },
      { intervalMs: 1, firstDelayMs: 0, onError: () => undefined },
    );
    await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    await periodic.stop(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(runs).toBe(1);
  });
});
