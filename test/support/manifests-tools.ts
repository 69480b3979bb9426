// Shared by the manifest checks: builds the tools once (cached) and synthesizes the environments they check.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runScriptOutputs } from '../../testbed/script-outputs';
import { environmentsDir, loadEnvironment, parseEnvironment } from '../../config/load';
import type { Environment } from '../../config/schema';
import { synthesizeManifests } from '../../charts/manifests';

/** Paths of kubeconform, kube-score and the schema directory from testbed/k8s-tools.sh. */
export interface K8sTools {
  kubeconform: string;
  kubeScore: string;
  schemas: string;
  /** Folder of Argo CD's CRD files (application-crd.yaml, appproject-crd.yaml). */
  argocdCrds: string;
  /** Folder of the Prometheus operator's CRD files (monitoring.coreos.com_<plural>.yaml). */
  prometheusOperatorCrds: string;
  /** File of k3s's helm-controller CRDs (HelmChart, HelmChartConfig). */
  helmControllerCrds: string;
}

export { kubernetesVersion } from '../../testbed/kubernetes-release';

/** Runs testbed/k8s-tools.sh for a Kubernetes release (seconds once cached) and reads the paths it prints. */
export function k8sTools(version: string): K8sTools {
  const value = runScriptOutputs('testbed/k8s-tools.sh', [version]);
  return {
    kubeconform: value('KUBECONFORM'),
    kubeScore: value('KUBE_SCORE'),
    schemas: value('SCHEMAS'),
    argocdCrds: value('ARGOCD_CRDS'),
    prometheusOperatorCrds: value('PROMETHEUS_OPERATOR_CRDS'),
    helmControllerCrds: value('HELM_CONTROLLER_CRDS'),
  };
}

/**
 * The example, and a variant that takes every other branch: single Kafka and MinIO, TLS, a host, the load generator,
 * monitoring with a receiver of each kind, GitOps.
 */
export function checkedEnvironments(): Environment[] {
  const raw = parse(readFileSync(join(environmentsDir, 'example.yaml'), 'utf8'));
  raw.name = 'variant';
  raw.apps.kafka = { replicas: 1, storage: '5Gi' };
  for (const topic of Object.values(raw.apps.topics) as { replication: number }[]) topic.replication = 1;
  raw.apps.minio = { replicas: 1, storage: '5Gi', publicEndpoint: 'https://s3.wolke.example.com' };
  raw.apps.ingress = { host: 'wolke.example.com', tlsSecret: 'wolke-tls' };
  raw.apps.loadgen = { enabled: true };
  // The report on Spark, so its CronJob is checked too (the example runs DuckDB's).
  raw.apps.report = { engine: 'spark', schedule: '0 3 * * *' };
  raw.monitoring = {
    enabled: true,
    alerting: {
      receivers: [
        { name: 'oncall', severities: ['critical'], webhook: { urlSecret: { name: 'alert-webhook', key: 'url' } } },
        { name: 'team-chat', slack: { apiUrlSecret: { name: 'alert-slack', key: 'url' }, channel: '#wolke' } },
        {
          name: 'mail',
          severities: ['warning'],
          email: { to: 'ops@example.com', from: 'alerts@example.com', smarthost: 'smtp.example.com:587', username: 'alerts', passwordSecret: { name: 'alert-smtp', key: 'password' } },
        },
      ],
    },
  };
  raw.gitops = { enabled: true, repoUrl: 'https://git.example.com/ops/wolke.git' };
  return [loadEnvironment('example', ''), parseEnvironment(raw)];
}

/** Writes an environment's manifests to a fresh temporary directory and returns the file. */
export function synthesizeToTemp(env: Environment): string {
  return synthesizeManifests(env, mkdtempSync(join(tmpdir(), `wolke-manifests-${env.name}-`)));
}
