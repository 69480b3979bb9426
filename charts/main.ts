// cdk8s entry: synthesizes every chart of an environment into dist/<env>/ (WOLKE_ENV selects the environment).
// Only an entry: what other code needs is in ./manifests, so importing it never runs this (a bundle has one `module`).
import { join, resolve } from 'node:path';
import { loadEnvironment } from '../config/load';
import { exitOnConfigError } from '../config/exit';
import { MANIFESTS_ROOT } from '../config/repository-paths';
import { synthesizeManifests } from './manifests';

exitOnConfigError(() => {
  const env = loadEnvironment();
  // The cdk8s CLI passes its output directory; alone, we write to dist/ like the CLI would.
  const file = synthesizeManifests(env, join(resolve(process.env.CDK8S_OUTDIR ?? MANIFESTS_ROOT), env.name));
  console.error(`wrote ${file}`);
});
