// What each app's bundle is made of: its own folder, apps/lib and contracts/; never another app or the model (config/).
// The Dockerfile that builds the app copies those folders, so an import of something else fails here, not in docker build.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '..', '..', '..');
const apps = readdirSync(resolve(repoRoot, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && readdirSync(resolve(repoRoot, 'apps', entry.name)).includes('main.ts'))
  .map((entry) => entry.name);

/** The entry points of an app: its main.ts and, for the web UI, the browser code the page loads. */
const entriesOf = (app: string) => [`apps/${app}/main.ts`, ...(app === 'web' ? ['apps/web/src/main.ts'] : [])];

/** The repository files esbuild put into the app's bundles (packages left out). */
async function sourcesOf(app: string): Promise<string[]> {
  const result = await build({
    entryPoints: entriesOf(app).map((entry) => resolve(repoRoot, entry)),
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    packages: 'external',
    write: false,
    outdir: resolve(repoRoot, 'dist', 'app-imports'),
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('app bundles', () => {
  it('finds the apps', () => {
    expect(apps).toEqual(expect.arrayContaining(['aggregator', 'api', 'detector', 'lake-sink', 'processor', 'producer', 'web']));
  });

  it.each(apps)('%s takes only its own folder, apps/lib and contracts/', async (app) => {
    const foreign = (await sourcesOf(app)).filter((file) => !file.startsWith(`apps/${app}/`) && !file.startsWith('apps/lib/') && !file.startsWith('contracts/'));
    expect(foreign).toEqual([]);
  });

  it.each(apps)("%s: the Dockerfile that builds it copies each folder its bundle takes, and nothing else of the repository's source", async (app) => {
    const own = resolve(repoRoot, 'apps', app, 'Dockerfile');
    const dockerfile = existsSync(own) ? readFileSync(own, 'utf8') : readFileSync(resolve(repoRoot, 'apps', 'Dockerfile'), 'utf8').replaceAll('${APP}', app);
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)].map((m) => m[1]!.replace(/\/$/, ''));
    const folders = [...new Set((await sourcesOf(app)).map((file) => (file.startsWith('contracts/') ? 'contracts' : file.split('/').slice(0, 2).join('/'))))];
    expect(copied).toEqual(expect.arrayContaining(folders));
    const sourceFolders = copied.filter((path) => path === 'contracts' || path === 'config' || path.startsWith('config/') || /^apps\/[^/]+$/.test(path));
    expect(sourceFolders.sort()).toEqual(folders.sort());
  });
});
