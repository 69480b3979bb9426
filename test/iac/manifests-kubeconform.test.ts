// The synthesized manifests against the strict OpenAPI schemas of the Kubernetes release k3s ships, and Traefik's,
// Argo CD's, the Prometheus operator's and k3s's helm controller's CRDs.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { GITOPS_FILE } from '../../charts/gitops';
import { k3sLineComponents } from '../../config/k3s-components';
import { checkedEnvironments, k8sTools, kubernetesVersion, synthesizeToTemp, type K8sTools } from '../support/manifests-tools';

interface KubeconformResult {
  resources: { kind: string; name: string; status: string; msg: string }[];
  summary: { valid: number; invalid: number; errors: number; skipped: number };
}

const environments = checkedEnvironments();
let tools: K8sTools;

function kubeconform(file: string): KubeconformResult {
  const run = spawnSync(
    tools.kubeconform,
    ['-strict', '-summary', '-verbose', '-output', 'json', '-schema-location', `${tools.schemas}/{{ .ResourceKind }}{{ .KindSuffix }}.json`, file],
    { encoding: 'utf8' },
  );
  if (run.error) throw run.error;
  return JSON.parse(run.stdout) as KubeconformResult;
}

beforeAll(() => {
  const versions = new Set(environments.map((e) => kubernetesVersion(e.cluster.k3sVersion)));
  expect(versions.size).toBe(1);
  tools = k8sTools([...versions][0]);
});

describe('kubeconform', () => {
  it("validates against the Kubernetes release and the Traefik 3 CRDs of the model's k3s", () => {
    const k3s = environments[0].cluster.k3sVersion;
    const { traefik } = k3sLineComponents(k3s);
    expect(traefik).toMatch(/^v3\./);
    expect(basename(tools.schemas)).toMatch(new RegExp(`^kubernetes-${kubernetesVersion(k3s)}-traefik-${traefik}-`));
  });

  for (const env of environments) {
    it(`finds every object of "${env.name}" valid, none skipped`, () => {
      const file = synthesizeToTemp(env);
      const documents = parseAllDocuments(readFileSync(file, 'utf8')).length;
      const result = kubeconform(file);
      expect(result.resources.filter((r) => r.status !== 'statusValid')).toEqual([]);
      expect(result.summary).toEqual({ valid: documents, invalid: 0, errors: 0, skipped: 0 });
      // The Traefik Middleware is checked against the CRD schema from Traefik's own release, not skipped.
      expect(result.resources.filter((r) => r.kind === 'Middleware').map((r) => r.status)).toEqual(['statusValid']);
      // With monitoring, the operator's kinds and k3s's HelmChart are checked against their own CRD schemas.
      const monitoringKinds = result.resources.filter((r) => ['PodMonitor', 'PrometheusRule', 'HelmChart', 'AlertmanagerConfig'].includes(r.kind));
      expect(monitoringKinds.map((r) => r.kind).sort()).toEqual(
        env.monitoring.enabled ? ['AlertmanagerConfig', 'HelmChart', ...Array(10).fill('PodMonitor'), 'PrometheusRule'] : [],
      );
    });
  }

  it("finds the Argo CD project and Application valid against Argo CD's CRDs", () => {
    const env = environments.find((e) => e.gitops.enabled)!;
    const file = join(dirname(synthesizeToTemp(env)), GITOPS_FILE);
    const result = kubeconform(file);
    expect(result.resources.map((r) => `${r.kind} ${r.status}`)).toEqual(['AppProject statusValid', 'Application statusValid']);
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    docs[1].spec.syncPolicy.automated.selfHeall = true;
    writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
    expect(kubeconform(file).resources.map((r) => `${r.kind} ${r.status}`)).toEqual(['AppProject statusValid', 'Application statusInvalid']);
  });

  it('rejects a misspelt PodMonitor endpoint, a rule without its expression, a HelmChart value of the wrong type and an inlined webhook Secret', () => {
    const monitored = environments.find((e) => e.monitoring.enabled)!;
    const file = synthesizeToTemp(monitored);
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    docs.find((d) => d.kind === 'PodMonitor').spec.podMetricsEndpoints[0].paht = '/metrics';
    delete docs.find((d) => d.kind === 'PrometheusRule').spec.groups[0].rules[0].expr;
    docs.find((d) => d.kind === 'HelmChart').spec.createNamespace = 'yes';
    docs.find((d) => d.kind === 'AlertmanagerConfig').spec.receivers[1].webhookConfigs[0].urlSecret = 'https://hooks.example.com/token';
    writeFileSync(file, docs.map((d) => stringify(d, { version: '1.1' })).join('---\n'));
    const invalid = kubeconform(file).resources.filter((r) => r.status === 'statusInvalid');
    expect(invalid.map((r) => r.kind).sort()).toEqual(['AlertmanagerConfig', 'HelmChart', 'PodMonitor', 'PrometheusRule']);
  });

  it('rejects unknown fields, wrong types and a misspelt Middleware option (the schemas are strict)', () => {
    const file = synthesizeToTemp(environments[0]);
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    const api = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'api');
    api.spec.template.spec.containers[0].securityContex = { runAsUser: 0 };
    const kafka = docs.find((d) => d.kind === 'StatefulSet');
    kafka.spec.replicas = 'three';
    docs.find((d) => d.kind === 'Middleware').spec.stripPrefix.prefix = ['/api'];
    writeFileSync(file, docs.map((d) => stringify(d, { version: '1.1' })).join('---\n'));
    const invalid = kubeconform(file).resources.filter((r) => r.status === 'statusInvalid');
    expect(invalid.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(['Deployment/api', 'Middleware/strip-api', 'StatefulSet/kafka']);
    expect(invalid.find((r) => r.kind === 'Deployment')?.msg).toContain('securityContex');
  });
});
