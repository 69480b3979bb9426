// GitOps on the test bed: with gitops.enabled the deploy role hands Argo CD its project and Application instead of
// applying the manifests, refuses a cluster without Argo CD, and waits until Argo CD reports the sync. The test bed
// runs no Argo CD controller (its images cannot be pulled here): the test writes the status that controller would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GITOPS_FILE } from '../../charts/gitops';
import { k8sTools, kubernetesVersion } from '../support/manifests-tools';
import { kubectl, kubectlJson, type KubeObject } from '../support/kubectl';
import { changedTasks, parseRecap, removeOtherDeployments, startRoleBed, type RoleBed, type Run } from '../support/role-bed';

const name = 'gitopstest';
const argocd = 'argocd';
const application = `wolke-${name}`;
let bed: RoleBed;
let crdFiles: string[];
const show = (run: Run) => run.output.slice(-6000);

function crdNames(): string[] {
  return crdFiles.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => (d.toJSON() as KubeObject).metadata.name));
}

describe.sequential('the deploy role with GitOps on', () => {
  beforeAll(async () => {
    await removeOtherDeployments();
    bed = await startRoleBed(name, {
      vars: { deploy_rollout_timeout: '20s', deploy_gitops_crds_timeout: 4, deploy_traefik_crds_poll: 2 },
      edit: (text) => `${text}\ngitops:\n  enabled: true\n  repoUrl: https://git.example.com/ops/wolke.git\n`,
    });
    bed.synthesize();
    const { argocdCrds } = k8sTools(kubernetesVersion(bed.env().cluster.k3sVersion));
    crdFiles = ['application-crd.yaml', 'appproject-crd.yaml'].map((f) => join(argocdCrds, f));
  }, 240_000);

  afterAll(async () => {
    kubectl(['delete', 'namespace', argocd, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    if (crdFiles) kubectl(['delete', 'crd', ...crdNames(), '--ignore-not-found']);
    await bed?.stop();
  }, 240_000);

  it('refuses a cluster without Argo CD before applying anything', async () => {
    const run = await bed.playbook();
    expect(run.code, show(run)).not.toBe(0);
    expect(run.output).toContain('gitops.enabled is true but the cluster has no Argo CD');
    expect(kubectl(['-n', name, 'get', 'deployments', '-o', 'name']).stdout.trim()).toBe('');
  });

  it('applies only the project and the Application, then waits for the sync Argo CD reports', async () => {
    // What installing Argo CD does first: its namespace and CRDs.
    expect(kubectl(['create', 'namespace', argocd]).status).toBe(0);
    for (const file of crdFiles) {
      const created = kubectl(['create', '-f', file]);
      expect(created.status, created.stderr).toBe(0);
    }
    const waiting = await bed.playbook();
    // Nothing syncs yet, so the role gives up after its rollout timeout, naming the wait.
    expect(waiting.code, show(waiting)).not.toBe(0);
    expect(waiting.output).toMatch(/Wait until Argo CD has synced the repository's manifests and they are healthy/);
    const app = kubectlJson<KubeObject & { spec: Record<string, any> }>(['-n', argocd, 'get', 'application', application]);
    expect(app.spec.source).toMatchObject({ repoURL: 'https://git.example.com/ops/wolke.git', path: `dist/${name}`, directory: { include: 'wolke.k8s.yaml' } });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(kubectl(['-n', argocd, 'get', 'appproject', application, '-o', 'name']).status).toBe(0);
    // The manifests are Argo CD's to apply: the role applied none of them, but created the secrets they read.
    expect(kubectl(['-n', name, 'get', 'deployments,statefulsets', '-o', 'name']).stdout.trim()).toBe('');
    expect(kubectl(['-n', name, 'get', 'secret', 'minio-credentials', '-o', 'name']).status).toBe(0);

    // Argo CD's controller reports the sync in the Application's status (the CRD has no status subresource).
    const patched = kubectl(['-n', argocd, 'patch', 'application', application, '--type', 'merge', '-p', JSON.stringify({ status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } } })]);
    expect(patched.status, patched.stderr).toBe(0);
    const synced = await bed.playbook();
    expect(synced.code, show(synced)).toBe(0);
    expect(parseRecap(synced.output)[bed.serverName]).toMatchObject({ failed: 0, changed: 0 });
    expect(changedTasks(synced.output)).toEqual([]);
  });

  it('writes the Argo CD objects beside the manifests, where the role copies them from', () => {
    expect(readFileSync(join(bed.manifestsDir, GITOPS_FILE), 'utf8')).toContain('kind: Application');
  });
});
