// Runs an async task every interval, one run at a time, until stopped; a failed run is reported, not fatal.

export interface Periodic {
  /**
   * Stops scheduling and waits for a run in progress, at most `maxWaitMs`: a run stuck on a broker that is away must
   * not hold the app past Kubernetes' grace period. Runs are idempotent, so one cut short is simply done again later.
   */
  stop(maxWaitMs?: number): Promise<void>;
}

/** Runs `task` after `firstDelayMs`, then `intervalMs` after each run ends. */
export function runPeriodically(
  task: () => Promise<void>,
  options: { intervalMs: number; firstDelayMs?: number; onError: (error: unknown) => void },
): Periodic {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = task()
        .catch(options.onError)
        .finally(() => {
          if (!stopped) schedule(options.intervalMs);
        });
    }, delayMs);
  };
  schedule(options.firstDelayMs ?? options.intervalMs);
  return {
    async stop(maxWaitMs = 5_000) {
      stopped = true;
      clearTimeout(timer);
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise<void>((resolve) => (bound = setTimeout(resolve, maxWaitMs)))]);
      clearTimeout(bound);
    },
  };
}
