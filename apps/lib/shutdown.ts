// Graceful shutdown: cleanup steps registered by an app run once, in order, on SIGTERM/SIGINT, bounded by a timeout.
import type { Logger } from './log';

export interface Shutdown {
  /** Adds a step; steps run in the order they were added (e.g. stop consuming, then disconnect, then close ops). */
  add(name: string, step: () => Promise<void> | void): void;
  /** Runs every step once (later calls return the same promise), then calls exit with 0, or 1 if a step failed or timed out. */
  run(reason: string): Promise<number>;
  /** Aborted as soon as shutdown begins, for loops that should stop taking new work. */
  readonly signal: AbortSignal;
}

export interface ShutdownOptions {
  log?: Logger;
  /** Upper bound for all steps together; Kubernetes sends SIGKILL 30 s after SIGTERM by default. */
  timeoutMs?: number;
  /** Signals that start the shutdown; none in tests that call run() themselves. */
  signals?: NodeJS.Signals[];
  /** Called with the exit code at the end; process.exit by default. */
  exit?: (code: number) => void;
}

/** Creates the shutdown of one app and, unless `signals` is empty, listens for SIGTERM and SIGINT. */
export function createShutdown(options: ShutdownOptions = {}): Shutdown {
  const steps: { name: string; step: () => Promise<void> | void }[] = [];
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? 20_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<number> | undefined;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onSignal = (signal: NodeJS.Signals) => void run(signal);

  // The step in progress, named when the timeout cuts it short.
  let current: string | undefined;
  const runSteps = async (): Promise<number> => {
    let code = 0;
    for (const { name, step } of steps) {
      current = name;
      try {
        await step();
        options.log?.debug('shutdown step done', { step: name });
      } catch (error) {
        code = 1;
        options.log?.error('shutdown step failed', { step: name, error });
      }
    }
    return code;
  };

  const run = (reason: string): Promise<number> => {
    running ??= (async () => {
      options.log?.info('shutting down', { reason });
      controller.abort(new Error(`shutdown: ${reason}`));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<number>((resolve) => {
        timer = setTimeout(() => {
          options.log?.error('shutdown timed out', { timeoutMs, step: current });
          resolve(1);
        }, timeoutMs);
      });
      const code = await Promise.race([runSteps(), timeout]);
      clearTimeout(timer);
      options.log?.info('stopped', { code });
      for (const signal of signals) process.off(signal, onSignal);
      exit(code);
      return code;
    })();
    return running;
  };

  // Listen for every repeat too: a second signal (npx forwards one, a process group gets one, an impatient
  // Ctrl-C) must not fall back to the default action and kill the process mid-cleanup.
  for (const signal of signals) process.on(signal, onSignal);

  return {
    add: (name, step) => {
      steps.push({ name, step });
    },
    run,
    signal: controller.signal,
  };
}
