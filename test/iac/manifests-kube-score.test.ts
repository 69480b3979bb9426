// kube-score on the synthesized manifests: every CRITICAL finding needs a written reason in charts/score-exceptions.yaml.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { criticalFindings, loadScoreExceptions, staleExceptions, unexplainedFindings, type ScoreFinding } from '../../charts/score-exceptions';
import { checkedEnvironments, k8sTools, kubernetesVersion, synthesizeToTemp, type K8sTools } from '../support/manifests-tools';

const environments = checkedEnvironments();
const exceptions = loadScoreExceptions();
let tools: K8sTools;

function kubeScore(file: string): ScoreFinding[] {
  const minor = kubernetesVersion(environments[0].cluster.k3sVersion).replace(/\.\d+$/, '');
  const run = spawnSync(tools.kubeScore, ['score', '--kubernetes-version', minor, '--output-format', 'json', file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  // kube-score exits 1 when it has findings; anything else is a failure to run.
  if (run.status !== 0 && run.status !== 1) throw new Error(`kube-score exited ${run.status}: ${run.stderr}`);
  return criticalFindings(run.stdout);
}

beforeAll(() => {
  tools = k8sTools(kubernetesVersion(environments[0].cluster.k3sVersion));
});

describe('kube-score', () => {
  const findings: ScoreFinding[] = [];

  for (const env of environments) {
    it(`leaves no CRITICAL finding on "${env.name}" without a written reason`, () => {
      const found = kubeScore(synthesizeToTemp(env));
      findings.push(...found);
      expect(unexplainedFindings(found, exceptions)).toEqual([]);
    });
  }

  it('keeps no reason that no finding needs any more', () => {
    expect(findings.length).toBeGreaterThan(0);
    expect(staleExceptions(findings, exceptions)).toEqual([]);
  });

  it('reports a container without limits or probes as unexplained (the check can fail)', () => {
    const file = synthesizeToTemp(environments[0]);
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    const web = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'web');
    delete web.spec.template.spec.containers[0].resources;
    delete web.spec.template.spec.containers[0].readinessProbe;
    writeFileSync(file, docs.map((d) => stringify(d, { version: '1.1' })).join('---\n'));
    const checks = unexplainedFindings(kubeScore(file), exceptions).map((f) => `${f.kind}/${f.name} ${f.check}`);
    expect(checks).toEqual(expect.arrayContaining(['Deployment/web container-resources', 'Deployment/web pod-probes']));
  });
});
