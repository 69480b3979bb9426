// cdktf entry: one stack for the environment chosen by WOLKE_ENV (default: example), and its manifests in dist/<env>,
// so `cdktf deploy` always ships the manifests of the same model it provisions for.
import { App } from 'cdktf';
import { loadEnvironment } from './config/load';
import { ClusterStack } from './stacks/cluster-stack';
import { exitOnConfigError } from './config/exit';
import { writeManifests } from './charts/manifests';
import { environmentPaths } from './config/repository-paths';

exitOnConfigError(() => {
  const env = loadEnvironment();
  const app = new App();
  new ClusterStack(app, env, { manifests: writeManifests(env, environmentPaths(env.name).manifests).yaml });
  app.synth();
});
