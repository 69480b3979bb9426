// What each app's bundle is made of: its own folder, apps/lib and contracts/; never another app or the model (config/).
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '..', '..', '..');
const apps = readdirSync(resolve(repoRoot, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && readdirSync(resolve(repoRoot, 'apps', entry.name)).includes('main.ts'))
  .map((entry) => entry.name);

/** The repository folders whose files esbuild put into the app's bundle (packages left out). */
async function sourcesOf(app: string): Promise<string[]> {
  const result = await build({
    entryPoints: [resolve(repoRoot, 'apps', app, 'main.ts')],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    packages: 'external',
    write: false,
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
});
