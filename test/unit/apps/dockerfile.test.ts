// apps/Dockerfile, the image of every plain-JavaScript app: which apps it builds, that each of them bundles the way its
// esbuild line bundles them (no native addon, nothing left outside the bundle), and the build line users are shown.
// No image is built here (no Docker engine): these checks are what keeps the Dockerfile honest.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';

const repoRoot = resolve(__dirname, '..', '..', '..');
const dockerfile = readFileSync(join(repoRoot, 'apps', 'Dockerfile'), 'utf8');

/** The package of a bundled input below node_modules: its name and its folder (esbuild gives inputs relative to the cwd). */
function inputPackage(input: string): { name: string; dir: string } | undefined {
  const parts = input.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at === -1) return undefined;
  const end = at + (parts[at + 1]!.startsWith('@') ? 3 : 2);
  return { name: parts.slice(at + 1, end).join('/'), dir: resolve(parts.slice(0, end).join('/')) };
}

const native = new Map<string, boolean>();
/**
 * Whether a package loads a native addon: it ships a .node file or a binding.gyp, or an optional dependency does (sharp
 * and DuckDB take theirs from a platform package, which a bundle cannot carry).
 */
function isNativePackage(dir: string): boolean {
  const known = native.get(dir);
  if (known !== undefined) return known;
  native.set(dir, false);
  const files = readdirSync(dir, { recursive: true }).map(String);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
  // The node_modules folder the package is in, where its optional dependencies sit beside it.
  const modules = dir.slice(0, dir.lastIndexOf('node_modules') + 'node_modules'.length);
  const result =
    files.some((file) => file.endsWith('.node') || file.endsWith('binding.gyp')) ||
    Object.keys(manifest.optionalDependencies ?? {}).some((dep) => existsSync(join(modules, dep)) && isNativePackage(join(modules, dep)));
  native.set(dir, result);
  return result;
}

/** The names of the packages with a native addon that a bundle's inputs come from. */
function nativePackages(inputs: Record<string, unknown>): string[] {
  const packages = new Map(Object.keys(inputs).flatMap((input) => inputPackage(input) ?? []).map((p) => [p.dir, p.name]));
  return [...packages].filter(([dir]) => isNativePackage(dir)).map(([, name]) => name).sort();
}

/** The apps apps/Dockerfile builds: a folder of apps/ with a main.ts and no Dockerfile of its own. */
const plainApps = readdirSync(join(repoRoot, 'apps'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(repoRoot, 'apps', d.name, 'main.ts')) && !existsSync(join(repoRoot, 'apps', d.name, 'Dockerfile')))
  .map((d) => d.name)
  .sort();

describe('apps/Dockerfile', () => {
  it('builds the plain-JavaScript apps, and its header names exactly those', () => {
    expect(plainApps).toEqual(['aggregator', 'api', 'detector', 'lake-sink', 'loadgen', 'producer', 'setup']);
    const comment = dockerfile.replace(/\n# /g, ' ');
    const header = /^# The container of every wolke app that is plain JavaScript once bundled \(([^)]*)\)/m.exec(comment);
    expect(header?.[1]?.split(', ')).toEqual(plainApps);
  });

  it('gives every model image of a plain app to it', () => {
    const env = loadEnvironment('example', '');
    for (const app of plainApps) expect(env.apps.images).toHaveProperty(app);
  });

  it('bundles each plain app whole: no native addon and nothing external that the image would lack', async () => {
    const esbuildLine = /npx esbuild "apps\/\$\{APP\}\/main\.ts" ([^\n]*\\\n[^\n]*)/.exec(dockerfile)?.[1]?.replace(/\\\n\s*/, '');
    expect(esbuildLine).toBe('--bundle --platform=node --target=node24 --format=cjs --sourcemap --outfile=dist/main.js');
    // One esbuild run for all of them (each entry its own bundle): the modules they share are parsed once. The
    // processor is there to show the check finds a native addon (sharp) when there is one.
    const result = await build({
      entryPoints: Object.fromEntries([...plainApps, 'processor'].map((app) => [app, join(repoRoot, 'apps', app, 'main.ts')])),
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: join(repoRoot, 'dist', 'plain-apps'),
    });
    const found = Object.fromEntries(
      Object.values(result.metafile.outputs)
        .filter((output) => output.entryPoint !== undefined)
        .map((output) => [output.entryPoint!.split('/')[1]!, nativePackages(output.inputs)]),
    );
    expect(found).toEqual({ ...Object.fromEntries(plainApps.map((app) => [app, []])), processor: ['sharp'] });
    // Seven bundles on a shared 2-core machine: a generous bound, not a speed target.
  }, 120_000);

  it("the README's and the Dockerfile's build lines tag the image the model deploys", () => {
    const env = loadEnvironment('example', '');
    const ref = `${env.apps.images.aggregator.image}:${env.apps.images.aggregator.version}`;
    const line = `docker build -f apps/Dockerfile --build-arg APP=aggregator -t ${ref} .`;
    expect(dockerfile).toContain(`#   ${line}\n`);
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(`${line}\ndocker push ${ref}\n`);
  });
});
