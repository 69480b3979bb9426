#!/usr/bin/env node
// Runs a TypeScript entry from an esbuild bundle of it and everything it imports, rebuilt only when one of those
// files changed: `node scripts/run-bundled.js main.ts [args]`. One file instead of ~750 modules resolved and
// transpiled through tsx is most of what makes `npm start` and cdktf's synth step fast (bench P3).
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..');
/**
 * WOLKE_BUNDLE_CACHE, or beside the other tools' caches; node_modules may be shared by several checkouts, so a
 * bundle is keyed by its entry's path.
 */
const cacheDir = process.env.WOLKE_BUNDLE_CACHE || path.join(repoRoot, 'node_modules', '.cache', 'wolke-bundles');
/** Files that change what a bundle would be without being part of it. */
const buildInputs = [__filename, path.join(repoRoot, 'package-lock.json'), path.join(repoRoot, 'tsconfig.json'), path.join(repoRoot, 'node_modules', '.package-lock.json')];

/** [path, mtimeMs, size] of a file or folder, or undefined when it is gone. */
function stamp(file) {
  try {
    const s = fs.statSync(file);
    return [file, s.mtimeMs, s.size];
  } catch {
    return undefined;
  }
}

/** True when every file (and project folder, where a new file could change an import) is as when the bundle was built. */
function isFresh(stampFile) {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  return recorded.every(([file, mtimeMs, size]) => {
    const now = stamp(file);
    return now !== undefined && now[1] === mtimeMs && now[2] === size;
  });
}

const isProjectFile = (file) => !file.split(path.sep).includes('node_modules');

const mainCheck = /\brequire\.main\s*===?\s*module\b/;

/**
 * In a bundle every module shares one `__dirname` and one `module`, and the bundle is not the main module: project
 * files get their own `__dirname` and `__filename` (declared on their first line, so line numbers stay), the entry's
 * `require.main === module` is true as under tsx, and a dependency with that check is refused (it would run).
 */
function projectModulesPlugin(entry) {
  // esbuild names files by their real path.
  const entryFile = fs.realpathSync(entry);
  return {
    name: 'wolke-project-modules',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!isProjectFile(args.path)) return undefined;
        let source = await fs.promises.readFile(args.path, 'utf8');
        if (mainCheck.test(source)) {
          if (args.path !== entryFile) {
            const relative = path.relative(repoRoot, args.path);
            return { errors: [{ text: `${relative} runs itself as the main module; import from a module that is not an entry instead` }] };
          }
          source = source.replace(new RegExp(mainCheck.source, 'g'), 'true');
        }
        if (/\b__(dirname|filename)\b/.test(source)) {
          source = `const __dirname = ${JSON.stringify(path.dirname(args.path))}, __filename = ${JSON.stringify(args.path)}; ${source}`;
        }
        return { contents: source, loader: 'ts' };
      });
    },
  };
}

async function buildBundle(entry, bundleFile, stampFile) {
  const esbuild = require('esbuild');
  const partial = `${bundleFile}.${process.pid}`;
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      outfile: partial,
      absWorkingDir: repoRoot,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: `node${process.versions.node.split('.')[0]}`,
      metafile: true,
      logLevel: 'silent',
      plugins: [projectModulesPlugin(entry)],
    });
  } catch (error) {
    const messages = (error.errors ?? []).map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text));
    throw new Error(`cannot bundle ${path.relative(repoRoot, entry)}:\n  ${messages.join('\n  ') || error.message}`);
  }
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(repoRoot, input));
  const projectDirs = [...new Set(inputs.filter(isProjectFile).map((file) => path.dirname(file)))];
  const stamps = [...inputs, ...projectDirs, ...buildInputs].map(stamp).filter((s) => s !== undefined);
  // Renames are atomic: a concurrent run reads the old bundle or the new one, never half of one.
  fs.renameSync(partial, bundleFile);
  fs.writeFileSync(`${stampFile}.${process.pid}`, JSON.stringify(stamps));
  fs.renameSync(`${stampFile}.${process.pid}`, stampFile);
}

/** The bundle of an entry and its stamp file, in the cache. */
function bundlePaths(entry) {
  const key = createHash('sha256').update(entry).digest('hex').slice(0, 16);
  const bundleFile = path.join(cacheDir, `${path.basename(entry, '.ts')}-${key}.js`);
  return { bundleFile, stampFile: `${bundleFile.slice(0, -3)}.inputs.json` };
}

const [entryArg, ...args] = process.argv.slice(2);
if (!entryArg) {
  console.error('usage: node scripts/run-bundled.js <entry.ts> [args]');
  process.exit(2);
}
const entry = path.resolve(entryArg);
if (!fs.existsSync(entry)) {
  console.error(`run-bundled: no such entry ${entry}`);
  process.exit(2);
}
const { bundleFile, stampFile } = bundlePaths(entry);

function run() {
  // The entry sees the arguments it would see under tsx.
  process.argv = [process.argv[0], entry, ...args];
  // V8's code cache spares parsing and compiling the bundle's few MB on every run.
  Module.enableCompileCache?.(path.join(cacheDir, 'v8'));
  require(bundleFile);
}

if (isFresh(stampFile) && fs.existsSync(bundleFile)) {
  run();
} else {
  fs.mkdirSync(cacheDir, { recursive: true });
  buildBundle(entry, bundleFile, stampFile).then(
    // Outside the promise: an error of the entry itself surfaces as it would without the bundle.
    () => setImmediate(run),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
