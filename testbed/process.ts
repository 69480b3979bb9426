// Starts a test-bed component as a child process with its output in a log file, and stops it for sure.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running child process whose stdout and stderr go to `logFile`. */
export interface Supervised {
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves when the process has exited (whatever the reason). */
  readonly exited: Promise<number | null>;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** Sends `signal` to the child's whole process group at once, without waiting. */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Signals the process group of a detached child, like Ctrl-C in a terminal does: a wrapper such as tsx and the
 * program it runs both get the signal, so the wrapper does not escalate to SIGKILL while the program cleans up.
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Spawns `command` detached from the terminal's signals, appending its output to `logFile`. */
export function supervise(
  command: string,
  args: string[],
  options: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string },
): Supervised {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', fd, fd],
    // Its own process group: Ctrl-C in a terminal reaches only us, and we stop children in a safe order.
    detached: true,
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  // A spawn error (missing binary) also ends the process from our point of view.
  child.once('error', () => undefined);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    logFile: options.logFile,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
      if (!running()) return;
      signalGroup(child, signal);
      // The grace timer is cancelled once the process is gone: left running, it kept the caller (vitest's main
      // process after the global teardown) alive for up to graceMs ("something prevents the main process from exiting").
      const grace = new AbortController();
      const timer = sleep(graceMs, 'timeout' as const, { signal: grace.signal }).catch(() => 'cancelled' as const);
      const outcome = await Promise.race([exited, timer]);
      grace.abort();
      if (outcome === 'timeout' && running()) {
        signalGroup(child, 'SIGKILL');
        await exited;
      }
    },
    kill: (signal) => signalGroup(child, signal),
  };
}

/** Last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * Polls `probe` until it returns true, at most `attempts` times `intervalMs` apart; throws with the last
 * error if it never does, or at once if `alive()` says the process died.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: { attempts: number; intervalMs: number; alive?: () => boolean },
): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    if (options.alive && !options.alive()) throw new Error(`${what}: the process exited while starting`);
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(options.intervalMs);
  }
  const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`${what}: not ready after ${options.attempts} attempts${detail}`);
}
