// A first deploy with monitoring on: the deploy role applies the kube-prometheus-stack HelmChart alone, waits until the
// Prometheus operator's CRDs are established, and only then applies the monitors, rules and everything else. The test
// bed runs no helm controller (k3s's; it would fetch the chart from the internet): its HelmChart CRD is created as k3s
// has it, and the test creates the operator's CRDs from the operator release's own CRD files, as the chart's install does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_CHART } from '../../charts/monitoring-stack';
import { k8sTools, kubernetesVersion } from '../support/manifests-tools';
import { kubectl, kubectlJson, type KubeObject } from '../support/kubectl';
import { changedTasks, parseRecap, removeOtherDeployments, startRoleBed, type RoleBed, type Run } from '../support/role-bed';
import { eventually } from '../support/wait';

const name = 'montest';
const stackName = `wolke-${name}-monitoring`;
let bed: RoleBed;
let helmCrds: KubeObject[];
let operatorCrdFiles: string[];
const show = (run: Run) => run.output.slice(-6000);
const OPERATOR_CRDS = ['alertmanagerconfigs.monitoring.coreos.com', 'podmonitors.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com'];
const waitTask = "Wait until the API server serves the Prometheus operator's CRDs";

function crdsOf(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJSON() as KubeObject | null)
    .filter((d): d is KubeObject => d?.kind === 'CustomResourceDefinition');
}

function createCrds(crds: KubeObject[]): void {
  for (const crd of crds) {
    if (kubectl(['get', 'crd', crd.metadata.name]).status === 0) continue;
    const created = kubectl(['create', '-f', '-'], JSON.stringify(crd));
    if (created.status !== 0) throw new Error(`creating ${crd.metadata.name}: ${created.stderr}`);
  }
}

/** What kube-prometheus-stack's install does first: create the operator's CRDs. */
function installOperatorCrds(): void {
  createCrds(operatorCrdFiles.flatMap(crdsOf));
}

function deleteOperatorCrds(): void {
  const deleted = kubectl(['delete', 'crd', ...OPERATOR_CRDS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  if (deleted.status !== 0) throw new Error(`deleting the operator's CRDs: ${deleted.stderr}`);
}

describe.sequential('the deploy role on a first deploy with monitoring on', () => {
  beforeAll(async () => {
    await removeOtherDeployments();
    bed = await startRoleBed(name, {
      vars: { deploy_rollout_timeout: '240s' },
      // A receiver, so the AlertmanagerConfig is applied against the operator's real CRD schema too; a third agent, as
      // the capacity rule asks of the example with the stack on (test/support/environments.ts withMonitoring).
      edit: (text) =>
        `${text.replace(/agents: \{ count: 2,/, 'agents: { count: 3,')}\nmonitoring:\n  enabled: true\n  alerting:\n    receivers:\n` +
        '      - { name: oncall, severities: [critical], webhook: { urlSecret: { name: alert-webhook, key: url } } }\n',
    });
    bed.synthesize();
    const tools = k8sTools(kubernetesVersion(bed.env().cluster.k3sVersion));
    helmCrds = crdsOf(tools.helmControllerCrds);
    operatorCrdFiles = OPERATOR_CRDS.map((crd) => join(tools.prometheusOperatorCrds, `monitoring.coreos.com_${crd.split('.')[0]}.yaml`));
    // Every k3s cluster has the HelmChart CRD; the operator's come only with the chart.
    createCrds(helmCrds);
    deleteOperatorCrds();
  }, 240_000);

  afterAll(async () => {
    kubectl(['-n', 'kube-system', 'delete', 'helmchart', stackName, '--ignore-not-found']);
    await bed?.stop();
    if (operatorCrdFiles) deleteOperatorCrds();
    if (helmCrds) kubectl(['delete', 'crd', ...helmCrds.map((c) => c.metadata.name), '--ignore-not-found']);
  }, 240_000);

  it("refuses a receiver whose Secret is missing before applying anything, saying how to create it; the README's way works", async () => {
    const run = await bed.playbook();
    expect(run.code, show(run)).not.toBe(0);
    expect(run.output).toContain(
      `monitoring.alerting receiver oncall reads key url of Secret alert-webhook in namespace ${name}, which does not exist; create it before the deploy, ` +
        `e.g. kubectl -n ${name} create secret generic alert-webhook --from-literal=url=<value>. Nothing was applied.`,
    );
    expect(kubectl(['-n', 'kube-system', 'get', 'helmchart', stackName]).status).not.toBe(0);
    expect(kubectl(['-n', name, 'get', 'deployments,statefulsets', '-o', 'name']).stdout.trim()).toBe('');
    // The README's step before a deploy with a webhook receiver: its URL goes into the Secret the model names.
    const secret = kubectl(['-n', name, 'create', 'secret', 'generic', 'alert-webhook', '--from-literal=url=https://alerts.example.com/hook']);
    expect(secret.status, secret.stderr).toBe(0);
  });

  it('applies the HelmChart, then stops naming the CRDs and the chart when they never come, having applied nothing else', async () => {
    const started = Date.now();
    const run = await bed.playbook(['-e', 'deploy_monitoring_crds_timeout=6', '-e', 'deploy_monitoring_crds_poll=2']);
    expect(run.code, show(run)).not.toBe(0);
    expect(run.output).toMatch(new RegExp(`FAILED - RETRYING: \\[${name}-server-1\\]: ${waitTask} \\(\\d+ retries left\\)`));
    expect(run.output).toContain(`The Prometheus operator's CRDs (${OPERATOR_CRDS.join(', ')}) were not established within 6 s`);
    expect(run.output).toContain(`HelmChart kube-system/${stackName} (kube-prometheus-stack ${STACK_CHART.version})`);
    expect(run.output).toContain(`logs job/helm-install-${stackName}`);
    expect(run.output).not.toContain('TASK [deploy : Apply the manifests]');
    expect(Date.now() - started).toBeLessThan(120_000);
    // The HelmChart is in, as the helm controller needs it to install the CRDs; nothing of the environment is.
    const chart = kubectlJson<KubeObject>(['-n', 'kube-system', 'get', 'helmchart', stackName]);
    expect(chart.spec).toMatchObject({ chart: 'kube-prometheus-stack', version: STACK_CHART.version, targetNamespace: 'monitoring' });
    expect(kubectl(['-n', name, 'get', 'deployments,statefulsets', '-o', 'name']).stdout.trim()).toBe('');
  });

  it('waits while the chart installs the CRDs, then applies the monitors and rules and rolls out', async () => {
    let soFar = '';
    const running = bed.playbook([], (output) => (soFar = output));
    await eventually('the deploy waiting for the CRDs', () => soFar.includes(`FAILED - RETRYING: [${name}-server-1]: ${waitTask}`), {
      timeoutMs: 180_000,
      describe: () => soFar.slice(-3000),
    });
    expect(soFar).not.toContain('TASK [deploy : Apply the manifests]');
    installOperatorCrds();
    const run = await running;
    expect(run.code, show(run)).toBe(0);
    expect(changedTasks(run.output)).toEqual(expect.arrayContaining(['deploy : Apply the manifests']));
    const monitors = kubectlJson<{ items: KubeObject[] }>(['-n', name, 'get', 'podmonitors']).items.map((m) => m.metadata.name).sort();
    expect(monitors).toEqual(['aggregator', 'api', 'detector', 'kafka', 'lake-sink', 'minio', 'processor', 'producer', 'web']);
    const rule = kubectlJson<KubeObject & { spec: { groups: { rules: unknown[] }[] } }>(['-n', name, 'get', 'prometheusrule', 'wolke-alerts']);
    expect(rule.spec.groups[0].rules.length).toBeGreaterThan(10);
    const routing = kubectlJson<KubeObject & { spec: { route: { routes: unknown[] }; receivers: unknown[] } }>(['-n', name, 'get', 'alertmanagerconfig', 'wolke-alerts']);
    expect(routing.spec.route.routes).toEqual([{ receiver: 'oncall', matchers: [{ name: 'severity', matchType: '=~', value: 'critical' }], continue: true }]);
    expect(routing.spec.receivers).toContainEqual({ name: 'oncall', webhookConfigs: [{ urlSecret: { name: 'alert-webhook', key: 'url' }, sendResolved: true }] });
    const workloads = kubectlJson<{ items: KubeObject[] }>(['-n', name, 'get', 'deployments,statefulsets']).items;
    expect(workloads.length).toBeGreaterThan(5);
  });

  it('changes nothing on a second run, the HelmChart included', async () => {
    const run = await bed.playbook();
    expect(run.code, show(run)).toBe(0);
    expect(changedTasks(run.output)).toEqual([]);
    expect(parseRecap(run.output)[bed.serverName]).toMatchObject({ changed: 0, failed: 0 });
    expect(run.output).toMatch(new RegExp(`TASK \\[deploy : ${waitTask}\\] \\*+\\n[^\\n]*\\nok: `));
  });

  it('deletes the AlertmanagerConfig once the model has no receivers, so nobody is notified any more; the monitors stay', async () => {
    const before = readFileSync(bed.modelFile, 'utf8');
    writeFileSync(bed.modelFile, before.replace(/^ {2}alerting:\n(?: {4,}.*\n)+/m, ''));
    expect(bed.env().monitoring).toMatchObject({ enabled: true, alerting: { receivers: [] } });
    bed.synthesize();
    const run = await bed.playbook();
    expect(run.code, show(run)).toBe(0);
    expect(changedTasks(run.output)).toContain('deploy : Delete the objects no longer in the manifests');
    await eventually('the AlertmanagerConfig deleted', () => kubectl(['-n', name, 'get', 'alertmanagerconfig', 'wolke-alerts']).status !== 0, { timeoutMs: 30_000 });
    expect(kubectlJson<{ items: KubeObject[] }>(['-n', name, 'get', 'podmonitors']).items).toHaveLength(9);
    expect(kubectl(['-n', name, 'get', 'prometheusrule', 'wolke-alerts', '-o', 'name']).status).toBe(0);
  });
});
