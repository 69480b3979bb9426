// The README's layout table and the tree agree, and unit tests mirror the source tree they test.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '..', '..');
const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');
const tracked = execFileSync('git', ['ls-files'], { cwd: repoRoot, encoding: 'utf8' }).split('\n').filter(Boolean);

/** The paths the README's "Repository layout" table names, without a trailing slash. */
function layoutPaths(): string[] {
  const section = /^## Repository layout\n([\s\S]*?)\n## /m.exec(readme)?.[1] ?? '';
  const firstCells = [...section.matchAll(/^\| ([^|]+) \|/gm)].map((m) => m[1]!).filter((cell) => cell.includes('`'));
  return firstCells.flatMap((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, '')));
}

describe('repository layout', () => {
  const paths = layoutPaths();

  it('the README has the table', () => {
    expect(paths.length).toBeGreaterThan(10);
  });

  it.each(paths)('%s exists', (path) => {
    expect(existsSync(resolve(repoRoot, path))).toBe(true);
  });

  it('names every top-level folder and every folder of test/', () => {
    const folders = new Set(tracked.filter((f) => f.includes('/')).map((f) => f.split('/')[0]!));
    const testFolders = new Set(tracked.filter((f) => f.startsWith('test/') && f.split('/').length > 2).map((f) => f.split('/').slice(0, 2).join('/')));
    folders.delete('test'); // named by its folders
    expect([...folders, ...testFolders].filter((f) => !paths.includes(f)).sort()).toEqual([]);
  });

  it('keeps unit tests in the mirror of the source tree: a folder of test/unit is a folder of the repository', () => {
    const misplaced = tracked
      .filter((f) => f.startsWith('test/unit/') && f.endsWith('.test.ts'))
      .map((f) => f.slice('test/unit/'.length))
      .filter((f) => f.includes('/'))
      .filter((f) => !tracked.some((source) => source.startsWith(`${f.slice(0, f.lastIndexOf('/'))}/`)));
    expect(misplaced).toEqual([]);
  });
});
