// Traefik's CRDs and the deploy role: with k3s's bundled Traefik the deploy waits until k3s has installed them (and
// stops with a clear message when they never come); with Traefik disabled in the model it applies the pinned CRDs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKubernetesBinaries } from '../../testbed/kubernetes-binaries';
import { kubectl, kubectlJson, type KubeObject } from '../support/kubectl';
import { changedTasks, parseRecap, removeOtherDeployments, startRoleBed, type RoleBed, type Run } from '../support/role-bed';
import { eventually } from '../support/wait';

const name = 'crdtest';
let bed: RoleBed;
let crdFile: string;
let crdDocuments: KubeObject[];
const show = (run: Run) => run.output.slice(-6000);
const MIDDLEWARES = 'middlewares.traefik.io';

/** Deletes Traefik's CRDs (all of them, or the named ones) as on a cluster where k3s has not installed them yet. */
async function deleteCrds(names = crdDocuments.map((c) => c.metadata.name)): Promise<void> {
  const deleted = kubectl(['delete', 'crd', ...names, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  expect(deleted.status, deleted.stderr).toBe(0);
  await eventually('the CRDs gone', () => kubectl(['get', 'crd', MIDDLEWARES]).status !== 0, { timeoutMs: 60_000 });
}

/** What k3s's helm-install-traefik-crd Job does: create Traefik's CRDs (those not there yet). */
function installCrdsAsK3sWould(): void {
  for (const crd of crdDocuments) {
    if (kubectl(['get', 'crd', crd.metadata.name]).status === 0) continue;
    const created = kubectl(['create', '-f', '-'], JSON.stringify(crd));
    if (created.status !== 0) throw new Error(`creating ${crd.metadata.name}: ${created.stderr}`);
  }
}

describe.sequential("the deploy role and Traefik's CRDs", () => {
  beforeAll(async () => {
    crdFile = ensureKubernetesBinaries().traefikCrds;
    crdDocuments = parseAllDocuments(readFileSync(crdFile, 'utf8'))
      .map((d) => d.toJSON() as KubeObject | null)
      .filter((d): d is KubeObject => d?.kind === 'CustomResourceDefinition');
    await removeOtherDeployments();
    bed = await startRoleBed(name, { vars: { deploy_rollout_timeout: '240s' } });
    bed.synthesize();
  }, 240_000);

  afterAll(async () => {
    // The other test files expect the CRDs as the test bed installs them.
    if (crdDocuments) installCrdsAsK3sWould();
    await bed?.stop();
  }, 240_000);

  it('stops before applying anything when k3s never installs them, saying what to look at', async () => {
    await deleteCrds([MIDDLEWARES]);
    const started = Date.now();
    const run = await bed.playbook(['-e', 'deploy_traefik_crds_timeout=8', '-e', 'deploy_traefik_crds_poll=2']);
    expect(run.code, show(run)).not.toBe(0);
    expect(run.output).toMatch(/FAILED - RETRYING: \[crdtest-server-1\]: Wait for k3s to install Traefik's CRDs \(\d+ retries left\)/);
    expect(run.output).toContain("Traefik's CRDs (middlewares.traefik.io) did not appear within 8 s");
    expect(run.output).toContain('helm-install-traefik-crd');
    expect(run.output).toContain('cluster.traefik: false');
    expect(run.output).not.toContain('TASK [deploy : Apply the manifests]');
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(kubectl(['-n', name, 'get', 'deployments', '-o', 'name']).stdout.trim()).toBe('');
  });

  it('waits for k3s to install them, then deploys the Middleware', async () => {
    let soFar = '';
    const running = bed.playbook([], (output) => (soFar = output));
    const waiting = /FAILED - RETRYING: \[crdtest-server-1\]: Wait for k3s to install Traefik's CRDs/;
    // k3s's Job installs the CRDs while the deploy is waiting for them.
    await eventually('the deploy waiting for the CRDs', () => waiting.test(soFar), { timeoutMs: 180_000, describe: () => soFar.slice(-3000) });
    installCrdsAsK3sWould();
    const run = await running;
    expect(run.code, show(run)).toBe(0);
    expect(run.output).toContain('TASK [deploy : Apply the manifests]');
    const middleware = kubectlJson<KubeObject>(['-n', name, 'get', MIDDLEWARES, 'strip-api']);
    expect(middleware.metadata.labels?.['wolke.dev/environment']).toBe(name);
  });

  it('applies the pinned CRDs itself when Traefik is disabled in the model (cluster.traefik: false), and changes nothing the second time', async () => {
    const before = readFileSync(bed.modelFile, 'utf8');
    writeFileSync(bed.modelFile, before.replace(/^(cluster:\n)/m, '$1  traefik: false\n'));
    expect(bed.env().cluster.traefik).toBe(false);
    // The pinned release's CRD file, from where this machine has it (no internet here); its sha256 is still checked.
    bed.writeInventory({ deploy_traefik_crds_url: `file://${crdFile}`, deploy_traefik_crds_cache: join(bed.workDir, `${name}-traefik-crds.yml`) });
    await deleteCrds();
    expect(kubectl(['-n', name, 'get', MIDDLEWARES, 'strip-api']).status).not.toBe(0);

    const run = await bed.playbook();
    expect(run.code, show(run)).toBe(0);
    expect(run.output).toMatch(/TASK \[deploy : Wait for k3s to install Traefik's CRDs\] \*+\n[^\n]*\nskipping: /);
    expect(changedTasks(run.output)).toEqual(expect.arrayContaining(['deploy : Apply Traefik\'s CRDs', 'deploy : Apply the manifests']));
    for (const crd of crdDocuments) {
      const live = kubectlJson<KubeObject & { metadata: { managedFields: { manager: string }[] } }>([
        'get',
        'crd',
        crd.metadata.name,
        '--show-managed-fields',
      ]);
      expect(live.metadata.managedFields.map((f) => f.manager), crd.metadata.name).toContain('wolke');
    }
    expect(kubectlJson<KubeObject>(['-n', name, 'get', MIDDLEWARES, 'strip-api']).metadata.name).toBe('strip-api');

    const again = await bed.playbook();
    expect(again.code, show(again)).toBe(0);
    expect(changedTasks(again.output)).toEqual([]);
    expect(parseRecap(again.output)[bed.serverName]).toMatchObject({ changed: 0, failed: 0 });

    // A CRD file that is not the pinned one is refused by its checksum.
    writeFileSync(join(bed.workDir, `${name}-other.yml`), 'apiVersion: v1\nkind: List\nitems: []\n');
    const tampered = await bed.playbook([
      '-e',
      `deploy_traefik_crds_url=file://${join(bed.workDir, `${name}-other.yml`)}`,
      '-e',
      `deploy_traefik_crds_cache=${join(bed.workDir, `${name}-other-cache.yml`)}`,
    ]);
    expect(tampered.code, show(tampered)).not.toBe(0);
    expect(tampered.output).toMatch(/checksum|does not match/i);
  });
});
