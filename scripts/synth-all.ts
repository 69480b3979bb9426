// The main job: validates the environment, synthesizes every layer and prints what it would create.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { loadEnvironment } from '../config/load';
import { exitOnConfigError } from '../config/exit';
import { ClusterStack } from '../stacks/cluster-stack';
import { planSummary } from './plan-summary';

exitOnConfigError(() => {
  // Everything is validated before anything is written.
  const env = loadEnvironment();
  const out = process.env.WOLKE_OUT ?? '.';
  const app = new App({ outdir: join(out, 'cdktf.out') });
  new ClusterStack(app, env);
  app.synth();
  const stackFile = join(out, 'cdktf.out', 'stacks', env.name, 'cdk.tf.json');
  const stackJson = JSON.parse(readFileSync(stackFile, 'utf8'));
  console.log(planSummary({ env, stackJson, stackFile }));
});
