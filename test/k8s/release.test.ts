// The operator commands (`npm run release | rollback | status | scale`) against the test-bed control plane, through
// the first server's k3s kubectl (a stand-in on an SSH test host); the assertions read the API server and the model.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlJson, type KubeObject } from '../support/kubectl';
import { eventually } from '../support/wait';
import { deploymentGenerations, deploymentImages, fillAgents, removeOtherDeployments, startRoleBed, type RoleBed, type Run } from '../support/role-bed';

const name = 'releasetest';
let bed: RoleBed;
const show = (run: Run) => run.output.slice(-6000);
const image = (app: string, version: string) => `registry.example.com/wolke/${app}:${version}`;

/** The rows of `npm run status`: app → [ready, current, model, running]. */
function statusRows(output: string): Record<string, string[]> {
  const lines = output.split('\n');
  const header = lines.findIndex((l) => /^APP\s+READY\s+CURRENT\s+MODEL\s+RUNNING$/.test(l));
  if (header < 0) throw new Error(`no status table in:\n${output}`);
  return Object.fromEntries(
    lines
      .slice(header + 1)
      .filter((l) => /^\S+\s+\S+\s+(yes|no)\s/.test(l))
      .map((l) => {
        const [app, ...rest] = l.split(/\s+/);
        return [app, rest];
      }),
  );
}

function rolledOut(app: string): boolean {
  const d = kubectlJson<KubeObject>(['-n', name, 'get', 'deployment', app]);
  const replicas = d.spec?.replicas as number;
  return d.status?.updatedReplicas === replicas && d.status?.readyReplicas === replicas && d.status?.observedGeneration === d.metadata.generation;
}

describe.sequential('release, rollback, status and scale against the test-bed cluster', () => {
  beforeAll(async () => {
    await removeOtherDeployments();
    bed = await startRoleBed(name, { vars: { deploy_rollout_timeout: '240s' } });
  }, 240_000);

  afterAll(async () => {
    await bed?.stop();
  }, 240_000);

  it('`npm run release:deploy` synthesizes the model and deploys it; `npm run status` says every workload runs what it asks for', async () => {
    const deploy = await bed.npm(['release:deploy', '--']);
    expect(deploy.code, show(deploy)).toBe(0);
    // The api's Deployment names no replicas (its HPA owns the count): it starts with 1 and the HPA raises it to its
    // floor on its first pass, which changes the Deployment's generation once; the releases below start after that.
    await eventually('the api at the HPA floor', () => kubectlJson<KubeObject>(['-n', name, 'get', 'deployment', 'api']).status?.readyReplicas === 2, {
      timeoutMs: 90_000,
    });
    const status = await bed.npm(['status', '--']);
    expect(status.code, show(status)).toBe(0);
    const rows = statusRows(status.output);
    expect(Object.keys(rows).sort()).toEqual(['aggregator', 'api', 'detector', 'kafka', 'lake-sink', 'minio', 'processor', 'producer', 'web']);
    for (const [app, [ready, current, model, running]] of Object.entries(rows)) {
      expect(current, `${app}: ${ready} ${model} ${running}`).toBe('yes');
      expect(running).toBe(model);
    }
    expect(rows.api[0]).toBe('2/2');
  });

  it('`npm run release -- 0.2.0 api` rolls only the api Deployment; the model says 0.2.0', async () => {
    const generations = deploymentGenerations(name);
    const images = deploymentImages(name);
    const run = await bed.npm(['release', '--', '0.2.0', 'api']);
    expect(run.code, show(run)).toBe(0);
    expect(run.output).toContain('apps.images.api.version: 0.1.0 -> 0.2.0');
    expect(readFileSync(bed.modelFile, 'utf8')).toMatch(/api: \{ image: registry\.example\.com\/wolke\/api, version: 0\.2\.0 \}/);
    const after = deploymentGenerations(name);
    expect(after.api).toBe(generations.api + 1);
    expect({ ...after, api: generations.api }).toEqual(generations);
    expect(deploymentImages(name)).toEqual({ ...images, api: image('api', '0.2.0') });
    expect(rolledOut('api')).toBe(true);
    expect(statusRows((await bed.npm(['status', '--'])).output).api).toEqual(['2/2', 'yes', image('api', '0.2.0'), image('api', '0.2.0')]);
  });

  it('`npm run rollback -- api` returns the api to the version before; status shows the model still naming 0.2.0', async () => {
    const run = await bed.npm(['rollback', '--', 'api']);
    expect(run.code, show(run)).toBe(0);
    expect(run.output).toContain('deployment.apps/api rolled back');
    expect(deploymentImages(name).api).toBe(image('api', '0.1.0'));
    await eventually('the api rolled back', () => rolledOut('api'), { timeoutMs: 60_000 });
    const status = await bed.npm(['status', '--']);
    expect(statusRows(status.output).api).toEqual(['2/2', 'no', image('api', '0.2.0'), image('api', '0.1.0')]);
    // As the rollback's note says: releasing the old version makes it stick.
    const stick = await bed.npm(['release', '--', '0.1.0', 'api']);
    expect(stick.code, show(stick)).toBe(0);
    expect(statusRows((await bed.npm(['status', '--'])).output).api).toEqual(['2/2', 'yes', image('api', '0.1.0'), image('api', '0.1.0')]);
  });

  it('`npm run scale -- 3 web` sets the model and the Deployment; status reports 3/3', async () => {
    const run = await bed.npm(['scale', '--', '3', 'web']);
    expect(run.code, show(run)).toBe(0);
    expect(bed.env().apps.web.replicas).toBe(3);
    const web = kubectlJson<KubeObject>(['-n', name, 'get', 'deployment', 'web']);
    expect(web.spec?.replicas).toBe(3);
    expect(web.status?.readyReplicas).toBe(3);
    expect(statusRows((await bed.npm(['status', '--'])).output).web[0]).toBe('3/3');
  });

  it('`npm run release:deploy` of a model with a bigger MinIO volume is refused before anything is applied, saying how to resize', async () => {
    const before = readFileSync(bed.modelFile, 'utf8');
    const generations = deploymentGenerations(name);
    writeFileSync(bed.modelFile, before.replace(/^ {2}buckets:/m, '  minio: { replicas: 4, storage: 30Gi }\n  buckets:'));
    try {
      const run = await bed.npm(['release:deploy', '--']);
      expect(run.code, show(run)).toBe(1);
      expect(run.output).toContain("StatefulSet minio: the model asks for 30Gi per data claim, the cluster's claims were made for 10Gi (10Gi -> 30Gi)");
      expect(run.output).toContain(`kubectl -n ${name} delete statefulset minio --cascade=orphan`);
      expect(run.output).not.toContain('TASK [deploy : Apply the manifests]');
      expect(deploymentGenerations(name)).toEqual(generations);
    } finally {
      writeFileSync(bed.modelFile, before);
    }
  });

  it('a release whose rollout fails is rolled back automatically; the model and status say the version before runs', async () => {
    // The failure: the agents are full (ballast pods), so the rolling update's extra processor pod (1 GiB) is never
    // scheduled and the rollout never completes; kwok would make any pod that is scheduled Ready.
    bed.writeInventory({ deploy_rollout_timeout: '20s' });
    const removeBallast = await fillAgents();
    const before = readFileSync(bed.modelFile, 'utf8');
    let run: Run;
    try {
      run = await bed.npm(['release', '--', '0.3.0', 'processor']);
    } finally {
      removeBallast();
      bed.writeInventory({ deploy_rollout_timeout: '240s' });
    }
    expect(run.code, show(run)).toBe(1);
    expect(run.output).toMatch(/FailedScheduling\s+processor-\S+/);
    expect(run.output).toContain('rolling back:');
    expect(run.output).toMatch(/; rolled back: .*releasetest\.yaml is back as it was and the cluster runs it again/);
    expect(readFileSync(bed.modelFile, 'utf8')).toBe(before);
    expect(deploymentImages(name).processor).toBe(image('processor', '0.1.0'));
    expect(rolledOut('processor')).toBe(true);
    const pods = kubectlJson<{ items: (KubeObject & { spec: { containers: { image: string }[] } })[] }>(['-n', name, 'get', 'pods', '-l', 'app.kubernetes.io/name=processor']).items;
    expect([...new Set(pods.map((p) => p.spec.containers[0].image))]).toEqual([image('processor', '0.1.0')]);
    const status = await bed.npm(['status', '--']);
    expect(statusRows(status.output).processor).toEqual(['2/2', 'yes', image('processor', '0.1.0'), image('processor', '0.1.0')]);
    expect(kubectl(['get', 'namespace', 'ballast']).status).not.toBe(0);
  });
});
