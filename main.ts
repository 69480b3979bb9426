// cdktf entry: one stack for the environment chosen by WOLKE_ENV (default: example).
import { App } from 'cdktf';
import { loadEnvironment } from './config/load';
import { ClusterStack } from './stacks/cluster-stack';
import { exitOnConfigError } from './config/exit';

exitOnConfigError(() => {
  const app = new App();
  new ClusterStack(app, loadEnvironment());
  app.synth();
});
