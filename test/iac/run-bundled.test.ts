// scripts/run-bundled.js, which `npm start` and cdktf's app command run: an entry runs as it would under tsx, from a
// bundle that is rebuilt when (and only when) a file the entry imports changed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const work = mkdtempSync(join(tmpdir(), 'wolke-run-bundled-'));
const cache = join(work, 'cache');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runBundled(entry: string, args: string[] = []) {
  return spawnSync('node', ['scripts/run-bundled.js', entry, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WOLKE_BUNDLE_CACHE: cache },
  });
}

const bundles = (): string[] => readdirSync(cache).filter((f) => f.endsWith('.js'));

describe('run-bundled', () => {
  const dir = mkdtempSync(join(work, 'src-'));
  const entry = join(dir, 'entry.ts');
  const greeting = join(dir, 'greeting.ts');
  writeFileSync(
    entry,
    "import { greeting, where } from './greeting';\nconst typed: string[] = process.argv.slice(2);\nconsole.log(`${greeting} ${typed.join(',')} from ${where}`);\n",
  );
  writeFileSync(greeting, "export const greeting: string = 'hello';\nexport const where = __dirname;\n");

  it('runs the entry with its arguments, each file keeping its own __dirname', () => {
    const run = runBundled(entry, ['a', 'b']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`hello a,b from ${dir}\n`);
    expect(bundles()).toHaveLength(1);
  });

  it('reuses the bundle while nothing changed, and rebuilds it when an imported file did', () => {
    const bundle = join(cache, bundles()[0]!);
    const built = statSync(bundle).mtimeMs;
    expect(runBundled(entry).stdout).toBe(`hello  from ${dir}\n`);
    expect(statSync(bundle).mtimeMs).toBe(built);

    writeFileSync(greeting, "export const greeting: string = 'hallo';\nexport const where = 'elsewhere';\n");
    const run = runBundled(entry);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('hallo  from elsewhere\n');
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
  });

  it('lets an error of the entry surface as without the bundle: its stack on stderr, exit code 1', () => {
    const failing = join(dir, 'failing.ts');
    writeFileSync(failing, "throw new Error('the model is broken');\n");
    const run = runBundled(failing);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Error: the model is broken\n\s+at /);
  });

  it('refuses to bundle a dependency that runs itself as the main module', () => {
    const selfRunning = join(dir, 'self-running.ts');
    writeFileSync(selfRunning, "export const x = 1;\nif (require.main === module) console.log('ran');\n");
    const importer = join(dir, 'importer.ts');
    writeFileSync(importer, "import { x } from './self-running';\nconsole.log(x);\n");
    const run = runBundled(importer);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot bundle .*importer\.ts:\n.*self-running\.ts runs itself as the main module/);
    expect(run.stdout).toBe('');
  });

  it('runs an entry’s own main-module block, as tsx does', () => {
    const selfRunning = join(dir, 'self-running-entry.ts');
    writeFileSync(selfRunning, "export const x = 1;\nif (require.main === module) console.log('ran');\n");
    const run = runBundled(selfRunning);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('ran\n');
  });

  it('names a missing entry', () => {
    const run = runBundled(join(dir, 'missing.ts'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`no such entry ${join(dir, 'missing.ts')}`);
  });
});
