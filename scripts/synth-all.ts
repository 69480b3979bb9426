// The main job: validates the environment, synthesizes every layer and prints what it would create.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { parseAllDocuments } from 'yaml';
import { loadEnvironment } from '../config/load';
import { exitOnConfigError } from '../config/exit';
import { ClusterStack } from '../stacks/cluster-stack';
import { writeManifests } from '../charts/manifests';
import { CDKTF_OUT, environmentPaths } from '../config/repository-paths';
import { planSummary, type ManifestObject } from './plan-summary';

const usage =
  'usage: npm start   synthesizes every layer of the environment and prints what it would create\n' +
  '  WOLKE_ENV=<name|file> selects the environment (default example), WOLKE_SET=<path=value;...> overrides fields,\n' +
  '  WOLKE_OUT=<dir> is where cdktf.out/ and dist/ go (default .); the operator commands are in npx wolke --help';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(usage);
  process.exit(0);
}
if (args.length > 0) {
  console.error(`npm start takes no arguments (got ${args.join(' ')})\n${usage}`);
  process.exit(2);
}

exitOnConfigError(() => {
  // Everything is validated before anything is written.
  const env = loadEnvironment();
  const out = process.env.WOLKE_OUT ?? '.';

  // cdktf's construct validations are its Terraform version probes: one `terraform version` child process
  // per terraform_data resource (a 100-node cluster spawned 100). Terraform checks its own version when it
  // plans, and policy violations are error annotations, which synth still refuses.
  const manifests = writeManifests(env, join(out, environmentPaths(env.name).manifests));
  const app = new App({ outdir: join(out, CDKTF_OUT), skipValidation: true });
  new ClusterStack(app, env, { manifests: manifests.yaml });
  app.synth();
  const stackFile = join(out, environmentPaths(env.name).stack, 'cdk.tf.json');
  const stackJson = JSON.parse(readFileSync(stackFile, 'utf8'));

  const manifestFile = manifests.file;
  const objects = parseAllDocuments(manifests.yaml)
    .map((doc) => doc.toJS() as ManifestObject | null)
    .filter((o): o is ManifestObject => o !== null);

  console.log(planSummary({ env, stackJson, stackFile, manifests: { dir: manifestFile, objects } }));
});
