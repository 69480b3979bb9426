// One directory per test-bed run, so several runs in the same working tree (engineers, CI) never share or delete each other's data.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The pid a run directory belongs to (`<time>-<pid>`), or undefined for other names. */
export function ownerPid(name: string): number | undefined {
  const match = /^\d{8}T\d{6}-(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The directory name of a run started at `time` by `pid`, e.g. 20261124T001502-4242. */
export function runDirName(time: Date, pid: number): string {
  const stamp = time.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `${stamp}-${pid}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `<base>/<time>-<pid>` for this run and removes the directories of runs whose process is gone
 * (their logs were shown when they failed); directories of runs still going are left alone.
 */
export function createRunDir(base: string, pid: number = process.pid): string {
  mkdirSync(base, { recursive: true });
  for (const name of readdirSync(base)) {
    const owner = ownerPid(name);
    if (owner !== undefined && owner !== pid && !alive(owner)) rmSync(join(base, name), { recursive: true, force: true });
  }
  const dir = join(base, runDirName(new Date(), pid));
  mkdirSync(dir, { recursive: true });
  return dir;
}
