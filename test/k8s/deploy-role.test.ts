// The deploy role itself (`ansible-playbook -i <inventory> ansible/deploy.yml`) on an SSH test host whose `k3s kubectl`
// is a stand-in reaching the test-bed control plane, so its k3s_runtime tasks run; the assertions read the API server.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAFANA_ADMIN_SECRET } from '../../charts/grafana';
import { kubectl, kubectlJson, objectKey, type KubeObject } from '../support/kubectl';
import {
  changedTasks,
  deploymentGenerations,
  deploymentImages,
  expectedPods,
  fillAgents,
  parseRecap,
  removeOtherDeployments,
  startRoleBed,
  type RoleBed,
  type Run,
} from '../support/role-bed';
import { eventually } from '../support/wait';

const name = 'roletest';
let bed: RoleBed;
const selector = `wolke.dev/environment=${name}`;
/** Objects an earlier version of the model had; the prune step must delete them once the manifests drop them. */
const retiredFile = 'retired.k8s.yaml';

function retiredObjects(namespace: string): object[] {
  const labels = { 'wolke.dev/environment': name, 'app.kubernetes.io/name': 'retired' };
  return [
    {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: 'retired-strip', namespace, labels },
      spec: { stripPrefix: { prefixes: ['/retired'] } },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'retired', namespace, labels }, data: { note: 'from an earlier model' } },
  ];
}

function manifestObjects(): KubeObject[] {
  return parseAllDocuments(readFileSync(join(bed.manifestsDir, 'wolke.k8s.yaml'), 'utf8')).map((d) => d.toJSON() as KubeObject);
}

function exists(kind: string, objectName: string): boolean {
  return kubectl(['-n', bed.namespace, 'get', kind, objectName, '-o', 'name']).status === 0;
}

const show = (run: Run) => run.output.slice(-6000);

describe.sequential('the deploy role on a first server whose k3s kubectl reaches the test bed', () => {
  beforeAll(async () => {
    await removeOtherDeployments();
    // A generous rollout timeout for the deploys that must succeed on a loaded 2-core machine.
    // Monitoring's part of the role (its namespace and Grafana's admin Secret) runs too; the manifests stay those of the
    // example, since the test bed has none of the monitoring stack's CRDs.
    bed = await startRoleBed(name, { vars: { deploy_rollout_timeout: '240s', wolke_monitoring: true } });
    bed.synthesize();
    writeFileSync(join(bed.manifestsDir, retiredFile), retiredObjects(name).map((o) => `---\n${JSON.stringify(o)}\n`).join(''));
  }, 240_000);

  afterAll(async () => {
    await bed?.stop();
  }, 240_000);

  it('deploys the example: the k3s_runtime tasks run, every pod is admitted under restricted Pod Security, rollouts and the setup Job complete', async () => {
    const run = await bed.playbook();
    expect(run.code, show(run)).toBe(0);
    expect(parseRecap(run.output)[bed.serverName]).toMatchObject({ failed: 0, unreachable: 0 });
    // The steps that need a running k3s ran (they are skipped by the site.yml test), and they changed the cluster.
    for (const task of ['Create the missing namespaces', 'Create the missing secrets with random values', 'Apply the manifests']) {
      expect(changedTasks(run.output), task).toContain(`deploy : ${task}`);
    }
    expect(run.output).toMatch(/TASK \[deploy : Wait for the rollout of Deployments and StatefulSets \(Kafka, MinIO\)\] \*+\n[^\n]*\nok: \[/);
    expect(run.output).not.toMatch(/^skipping: .*k3s/m);

    const ns = kubectlJson<KubeObject>(['get', 'namespace', name]);
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const refused = kubectl(['-n', name, 'get', 'events', '--field-selector', 'reason=FailedCreate', '-o', 'name']);
    expect(refused.stdout.trim()).toBe('');
    // The api's replicas are its HPA's: the role's rollout sees the one pod a new Deployment starts with, and the HPA
    // raises it to its floor on its first pass.
    await eventually('the api at the HPA floor', () => kubectlJson<KubeObject>(['-n', name, 'get', 'deployment', 'api']).status?.readyReplicas === 2, {
      timeoutMs: 90_000,
    });
    // A report run the CronJob may start at its minute is not one of the workloads' pods.
    const pods = kubectlJson<{ items: KubeObject[] }>(['-n', name, 'get', 'pods', '-l', `${selector},app.kubernetes.io/name!=report`]).items;
    expect(pods).toHaveLength(expectedPods(manifestObjects()));
    const workloads = kubectlJson<{ items: KubeObject[] }>(['-n', name, 'get', 'deployments,statefulsets', '-l', selector]).items;
    expect(workloads.length).toBeGreaterThan(5);
    for (const w of workloads) expect(w.status?.readyReplicas, objectKey(w)).toBe(w.spec?.replicas);
    const jobs = kubectlJson<{ items: KubeObject[] }>(['-n', name, 'get', 'jobs', '-l', selector]).items;
    expect(jobs.map((j) => j.metadata.name)).toEqual([expect.stringMatching(/^setup-[0-9a-f]{8}$/)]);
    expect((jobs[0].status?.conditions as { type: string; status: string }[]).find((c) => c.type === 'Complete')?.status).toBe('True');
    // The generated Secret exists and its value is nowhere in the output.
    const secret = kubectlJson<KubeObject & { data: Record<string, string> }>(['-n', name, 'get', 'secret', 'minio-credentials']);
    expect(run.output).not.toContain(Buffer.from(secret.data.rootPassword, 'base64').toString());
    // Grafana's admin Secret, in the monitoring namespace under the name and keys the chart values give Grafana.
    const grafana = kubectlJson<KubeObject & { data: Record<string, string> }>(['-n', 'monitoring', 'get', 'secret', GRAFANA_ADMIN_SECRET.name]);
    const password = Buffer.from(grafana.data[GRAFANA_ADMIN_SECRET.passwordKey]!, 'base64').toString();
    expect(Buffer.from(grafana.data[GRAFANA_ADMIN_SECRET.userKey]!, 'base64').toString()).toBe('admin');
    expect(password).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(run.output).not.toContain(password);
    expect(exists('middlewares.traefik.io', 'retired-strip')).toBe(true);
  });

  it('changes nothing on a second run: changed=0 in the PLAY RECAP and kubectl diff --server-side is empty', async () => {
    const run = await bed.playbook();
    expect(run.code, show(run)).toBe(0);
    expect(changedTasks(run.output)).toEqual([]);
    expect(parseRecap(run.output)[bed.serverName]).toMatchObject({ changed: 0, failed: 0 });
    const diff = kubectl(['diff', '--server-side', '--force-conflicts', '--field-manager=wolke', '-f', bed.manifestsDir]);
    expect(diff.stdout).toBe('');
    expect(diff.status, diff.stderr).toBe(0);
  });

  it('prunes what the manifests no longer name (a Middleware included) and leaves objects the model never owned', async () => {
    const foreign = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unlabelled', namespace: name }, data: { owner: 'someone else' } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'other-environment', namespace: name, labels: { 'wolke.dev/environment': 'elsewhere' } },
        data: { owner: 'environment elsewhere' },
      },
      {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'other-strip', namespace: name, labels: { 'wolke.dev/environment': 'elsewhere' } },
        spec: { stripPrefix: { prefixes: ['/other'] } },
      },
    ];
    const created = kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: foreign }));
    expect(created.status, created.stderr).toBe(0);
    bed.synthesize();
    rmSync(join(bed.manifestsDir, retiredFile));

    const run = await bed.playbook();
    expect(run.code, show(run)).toBe(0);
    expect(changedTasks(run.output)).toContain('deploy : Delete the objects no longer in the manifests');
    await eventually('the retired objects deleted', () => !exists('middlewares.traefik.io', 'retired-strip') && !exists('configmap', 'retired'), {
      timeoutMs: 30_000,
    });
    expect(exists('configmap', 'unlabelled')).toBe(true);
    expect(exists('configmap', 'other-environment')).toBe(true);
    expect(exists('middlewares.traefik.io', 'other-strip')).toBe(true);
    // What the model synthesizes is all still there, the api's Middleware included.
    // Kinds qualified by version and group: Traefik's CRDs serve Middleware in two groups.
    const resource = (o: KubeObject) => (o.apiVersion.includes('/') ? `${o.kind}.${o.apiVersion.split('/').reverse().join('.')}` : o.kind);
    const missing = manifestObjects().filter(
      (o) => kubectl(['get', resource(o), o.metadata.name, ...(o.metadata.namespace ? ['-n', o.metadata.namespace] : [])]).status !== 0,
    );
    expect(missing.map(objectKey)).toEqual([]);
  });

  it('refuses a storage size change before applying anything, naming the StatefulSet, old -> new and how to resize; the way it names works', async () => {
    const before = readFileSync(bed.modelFile, 'utf8');
    const generations = deploymentGenerations(name);
    const images = deploymentImages(name);
    // A release and a bigger Kafka volume in one model change: neither may reach the cluster.
    writeFileSync(
      bed.modelFile,
      before.replace(/^ {2}buckets:/m, '  kafka: { replicas: 3, storage: 20Gi }\n  buckets:').replace(/(api: \{ image: \S+, version: )0\.1\.0/, '$10.9.0'),
    );
    try {
      expect(bed.env().apps.kafka.storage).toBe('20Gi');
      bed.synthesize();
      const run = await bed.playbook();
      expect(run.code, show(run)).not.toBe(0);
      expect(run.output).toContain('StatefulSet kafka: the model asks for 20Gi per data claim, the cluster\'s claims were made for 10Gi (10Gi -> 20Gi)');
      expect(run.output).toContain(`kubectl -n ${name} patch pvc data-kafka-<ordinal>`);
      expect(run.output).toContain(`kubectl -n ${name} delete statefulset kafka --cascade=orphan`);
      expect(run.output).not.toContain('TASK [deploy : Apply the manifests]');
      expect(deploymentGenerations(name)).toEqual(generations);
      expect(deploymentImages(name)).toEqual(images);
      const kafka = kubectlJson<{ spec: { volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[] } }>([
        '-n',
        name,
        'get',
        'statefulset',
        'kafka',
      ]);
      expect(kafka.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');

      // The way the message names, step by step. Expanding a claim needs a StorageClass that allows it; local-path
      // (k3s's, and the test bed's stand-in) does not, and the API server says so.
      const patch = kubectl(['-n', name, 'patch', 'pvc', 'data-kafka-0', '-p', '{"spec":{"resources":{"requests":{"storage":"20Gi"}}}}']);
      expect(patch.status).not.toBe(0);
      expect(patch.stderr).toMatch(/storageclass that provisions the pvc must support resize/);
      const kafkaPods = () =>
        kubectlJson<{ items: KubeObject[] }>(['-n', name, 'get', 'pods', '-l', 'app.kubernetes.io/name=kafka']).items.map((p) => p.metadata.name + (p.metadata as { uid?: string }).uid);
      const podsBefore = kafkaPods().sort();
      expect(podsBefore).toHaveLength(3);
      const orphan = kubectl(['-n', name, 'delete', 'statefulset', 'kafka', '--cascade=orphan']);
      expect(orphan.status, orphan.stderr).toBe(0);
      const redeploy = await bed.playbook();
      expect(redeploy.code, show(redeploy)).toBe(0);
      const resized = kubectlJson<typeof kafka>(['-n', name, 'get', 'statefulset', 'kafka']);
      expect(resized.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
      // The Kafka pods were adopted by the new StatefulSet, not restarted; the release went out with it.
      expect(kafkaPods().sort()).toEqual(podsBefore);
      expect(deploymentImages(name).api).toBe('registry.example.com/wolke/api:0.9.0');
    } finally {
      writeFileSync(bed.modelFile, before);
      bed.synthesize();
    }
    // Back to the example's size the same way, so the steps after this one start from the model as it was.
    expect(kubectl(['-n', name, 'delete', 'statefulset', 'kafka', '--cascade=orphan']).status).toBe(0);
    const back = await bed.playbook();
    expect(back.code, show(back)).toBe(0);
    expect(deploymentImages(name)).toEqual(images);
  });

  it('fails a deploy that cannot roll out and prints the Warning events, FailedScheduling included', async () => {
    // One more web pod than the agents can hold: the example's agents are filled up to 64 MiB by ballast pods.
    const removeBallast = await fillAgents();
    const before = readFileSync(bed.modelFile, 'utf8');
    try {
      writeFileSync(bed.modelFile, before.replace(/^ {2}web: \{ replicas: 2 \}$/m, '  web: { replicas: 3 }'));
      expect(bed.env().apps.web.replicas).toBe(3);
      bed.synthesize();
      const started = Date.now();
      const run = await bed.playbook(['-e', 'deploy_rollout_timeout=20s']);
      expect(run.code, show(run)).not.toBe(0);
      expect(Date.now() - started).toBeLessThan(200_000);
      expect(run.output).toContain('The deploy of roletest did not roll out');
      const warnings = run.output.slice(run.output.indexOf('TASK [deploy : Show the Warning events'));
      expect(warnings).toMatch(/FailedScheduling\s+web-\S+\s+\S+\s+0\/3 nodes are available:[^"]*Insufficient memory/);
    } finally {
      removeBallast();
      writeFileSync(bed.modelFile, before);
      bed.synthesize();
    }
    // The model as it was deploys again, now that there is room.
    const again = await bed.playbook();
    expect(again.code, show(again)).toBe(0);
    expect(kubectlJson<KubeObject>(['-n', name, 'get', 'deployment', 'web']).spec?.replicas).toBe(2);
  });
});
