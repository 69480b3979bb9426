// The manifests of an environment: every chart in apply order, as one YAML string or one file in dist/<env>/.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import type { Environment } from '../config/schema';
import { environmentLabels } from './defaults';
import { NamespaceChart } from './namespace';
import { NetworkPoliciesChart } from './network-policies';
import { KafkaChart } from './kafka';
import { MinioChart } from './minio';
import { SetupChart } from './setup';
import { PipelineChart } from './pipeline';
import { ApiWebChart } from './api-web';
import { ReportChart } from './report';
import { GITOPS_FILE, GitOpsChart, type ManifestObject } from './gitops';
import { MonitoringChart } from './monitoring';

/** Name of the manifest file in dist/<env>/. */
export const MANIFEST_FILE = 'wolke.k8s.yaml';

/**
 * Adds one chart per concern to an app, in apply order: the namespace first, then the policies that
 * lock it down, the stateful services, and the apps that need them.
 */
export function addCharts(app: App, env: Environment): Chart[] {
  const charts = [
    new NamespaceChart(app, 'namespace', { env, labels: environmentLabels(env) }),
    new NetworkPoliciesChart(app, 'network-policies', { env }),
    new KafkaChart(app, 'kafka', { env }),
    new MinioChart(app, 'minio', { env }),
    new SetupChart(app, 'setup', { env }),
    new PipelineChart(app, 'pipeline', { env }),
    new ApiWebChart(app, 'api-web', { env }),
  ];
  if (env.apps.report.enabled) charts.push(new ReportChart(app, 'report', { env }));
  // Last: its monitors and rules are custom resources of the stack the HelmChart installs.
  if (env.monitoring.enabled) charts.push(new MonitoringChart(app, 'monitoring', { env }));
  return charts;
}

/** The manifests of an environment as one multi-document YAML string, in apply order. */
export function manifestsYaml(env: Environment): string {
  const app = new App();
  addCharts(app, env);
  return app.synthYaml();
}

/**
 * Writes the manifests of an environment to `<outdir>/wolke.k8s.yaml` and returns its path. One file keeps the
 * apply order (namespace first) for `kubectl apply -f` and for `cdk8s synth --stdout`, which concatenates files.
 */
export function synthesizeManifests(env: Environment, outdir: string): string {
  return writeManifests(env, outdir).file;
}

/**
 * The Argo CD objects that sync the manifests from the environment's repository, or undefined when GitOps is off.
 * A file of their own: Argo CD syncs MANIFEST_FILE only, so it never manages the Application it runs.
 */
export function gitopsYaml(env: Environment, manifests = manifestsYaml(env)): string | undefined {
  if (!env.gitops.enabled) return undefined;
  const app = new App();
  const objects = parseAllDocuments(manifests).map((d) => d.toJS() as ManifestObject);
  new GitOpsChart(app, 'gitops', { env, manifestFile: MANIFEST_FILE, manifests: objects, labels: environmentLabels(env), disableResourceNameHashes: true });
  return app.synthYaml();
}

/**
 * Writes the manifests like synthesizeManifests (and the GitOps objects beside them, or removes a stale file of
 * them) and returns the manifest file and everything it wrote.
 */
export function writeManifests(env: Environment, outdir: string): { file: string; yaml: string } {
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, MANIFEST_FILE);
  const yaml = manifestsYaml(env);
  writeFileSync(file, yaml);
  const gitops = gitopsYaml(env, yaml);
  if (gitops === undefined) rmSync(join(outdir, GITOPS_FILE), { force: true });
  else writeFileSync(join(outdir, GITOPS_FILE), gitops);
  return { file, yaml: gitops === undefined ? yaml : `${yaml}---\n${gitops}` };
}
