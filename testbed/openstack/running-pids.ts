// The processes a test bed's state folder records (its `pids` file), for finding what a crashed run left.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Processes of a state folder's `pids` file that are still running. */
export function runningPids(dir: string): string[] {
  const file = join(dir, 'pids');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).filter((line) => {
    try {
      process.kill(Number(line.split(' ')[0]), 0);
      return true;
    } catch {
      return false;
    }
  });
}
