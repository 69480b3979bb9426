// Runs a benchmark subject (an app or a peer) as a child process with its output in a log, and stops it for sure.
import { join, resolve } from 'node:path';
import { supervise, type Supervised } from '../testbed/process';

export const repoRoot = resolve(__dirname, '..');

/** Starts `command` in the repository root with `env` added to ours; output goes to `<logDir>/<name>.log`. */
export function startSubject(
  name: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  logDir: string,
): Supervised {
  return supervise(command, args, { logFile: join(logDir, `${name}.log`), env: { ...process.env, ...env }, cwd: repoRoot });
}

/** A TypeScript entry point run the way `npx tsx` runs it, but as a single process that receives our signals. */
export function tsxArgs(entry: string): string[] {
  return ['--import', 'tsx', entry];
}

/** Path of the Python interpreter of the peers' venv that bench/prepare.sh creates. */
export function peerPython(cacheRoot: string): string {
  return join(cacheRoot, 'bench-venv', 'bin', 'python');
}

/** Waits for `work`, or rejects as soon as `subject` exits (a crashed subject must not look slow). */
export async function whileAlive<T>(subject: Supervised, work: Promise<T>): Promise<T> {
  const died = subject.exited.then((code) => {
    throw new Error(`${subject.logFile}: the subject exited (code ${code}) during the measurement`);
  });
  return Promise.race([work, died]);
}
