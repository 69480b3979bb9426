// The example environment deployed onto the test-bed cluster the README's way (client-side apply) and the deploy
// role's way (server-side apply), each applied again unchanged; the assertions read what the API server reports.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, inject, it } from 'vitest';
import { loadEnvironment } from '../../config/load';
import { kubeEnv, kubectl, kubectlJson, objectKey, type KubeObject } from '../support/kubectl';
import { expectedPods } from '../support/role-bed';
import { eventually } from '../support/wait';

const env = loadEnvironment('example', '');
const namespace = env.apps.namespace;
const selector = `wolke.dev/environment=${env.name}`;
const repoRoot = resolve(__dirname, '..', '..');
const { kubectl: kubectlBinary, nodes } = inject('kubernetes');
// Where the README step keeps the manifests it applied, so later steps use exactly those.
const manifestFile = join(mkdtempSync(join(tmpdir(), 'wolke-k8s-deploy-')), 'wolke.k8s.yaml');
/** The deploy role's flags (ansible/roles/deploy/tasks/apply.yml), for both `kubectl diff` and `kubectl apply`. */
const roleFlags = ['--server-side', '--force-conflicts', '--field-manager=wolke', '-f', manifestFile];

/** The README's command, word for word, with the test bed's kubectl; `tee` keeps what it applied. */
function readmeApply(): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(
    'bash',
    ['-c', 'set -o pipefail; npx cdk8s synth --stdout --no-check-upgrade | tee "$MANIFESTS" | "$KUBECTL" apply -f -'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...kubeEnv(), WOLKE_ENV: env.name, WOLKE_SET: '', KUBECTL: kubectlBinary, MANIFESTS: manifestFile },
    },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function manifests(): KubeObject[] {
  return parseAllDocuments(readFileSync(manifestFile, 'utf8')).map((d) => d.toJSON() as KubeObject);
}

/**
 * What the server holds of every object of the manifests: its generation, or for kinds without one (Namespace,
 * Service, HorizontalPodAutoscaler) its labels, annotations and spec; never the status controllers keep writing.
 */
function stored(): Record<string, string> {
  const live = kubectlJson<{ items: KubeObject[] }>(['get', '-f', manifestFile]).items;
  return Object.fromEntries(
    live.map((o) => [
      objectKey(o),
      o.metadata.generation !== undefined
        ? `generation ${o.metadata.generation}`
        : JSON.stringify({ labels: o.metadata.labels, annotations: o.metadata.annotations, spec: o.spec }),
    ]),
  );
}


interface Pod extends KubeObject {
  spec: { nodeName?: string };
}

/** The pods of the manifests' workloads; a report run the CronJob starts at its minute is not one of them. */
function pods(): Pod[] {
  return kubectlJson<{ items: Pod[] }>(['-n', namespace, 'get', 'pods', '-l', `${selector},app.kubernetes.io/name!=report`]).items;
}

/** The namespace and the credentials Secret, as the deploy role creates them (the README's Secret needs the namespace). */
function createNamespaceAndSecret(): void {
  expect(kubectl(['create', 'namespace', namespace]).status).toBe(0);
  const secret = spawnSync(
    'bash',
    [
      '-c',
      `"$KUBECTL" -n ${namespace} create secret generic minio-credentials ` +
        '--from-literal=rootUser=wolke-admin --from-literal=rootPassword="$(openssl rand -base64 30)"',
    ],
    { encoding: 'utf8', env: { ...kubeEnv(), KUBECTL: kubectlBinary } },
  );
  expect(secret.status, secret.stderr).toBe(0);
}

/** Every pod created (none refused by admission), every workload rolled out, the api at its HPA floor, claims bound. */
async function expectRolledOut(): Promise<void> {
  const wanted = expectedPods(manifests());
  await eventually('every pod created', () => pods().length === wanted, {
    timeoutMs: 120_000,
    describe: () => kubectl(['-n', namespace, 'get', 'events', '--field-selector', 'reason=FailedCreate']).stdout,
  });
  // The deploy role's waits.
  for (const kind of ['statefulset', 'deployment']) {
    const rollout = kubectl(['-n', namespace, 'rollout', 'status', kind, '-l', selector, '--timeout=240s']);
    expect(rollout.status, `${rollout.stdout}${rollout.stderr}`).toBe(0);
  }
  const wait = kubectl(['-n', namespace, 'wait', 'job', '-l', selector, '--for=condition=complete', '--timeout=120s']);
  expect(wait.status, `${wait.stdout}${wait.stderr}`).toBe(0);
  expect(wait.stdout).toMatch(/^job\.batch\/setup-[0-9a-f]{8} condition met$/m);
  // The HPA raises the api to its floor on its first pass (within 15 s), with or without metrics.
  await eventually(
    'the api at the HPA floor',
    () =>
      (kubectlJson<KubeObject>(['-n', namespace, 'get', 'deployment', 'api']).status?.readyReplicas as number | undefined) ===
      env.apps.api.minReplicas,
    { timeoutMs: 90_000 },
  );
  const workloads = kubectlJson<{ items: KubeObject[] }>(['-n', namespace, 'get', 'deployments,statefulsets', '-l', selector]).items;
  for (const w of workloads) expect(w.status?.readyReplicas, objectKey(w)).toBe(w.spec?.replicas);
  const claims = kubectlJson<{ items: KubeObject[] }>(['-n', namespace, 'get', 'pvc']).items;
  expect(claims.length).toBe(env.apps.kafka.replicas + 2 * env.apps.minio.replicas);
  expect(claims.filter((c) => c.status?.phase !== 'Bound').map(objectKey)).toEqual([]);
}

describe.sequential('the example, deployed as the README says (client-side apply)', () => {
  it('applies `npx cdk8s synth --stdout --no-check-upgrade | kubectl apply -f -` without an error or a Pod Security warning', () => {
    createNamespaceAndSecret();
    const run = readmeApply();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/PodSecurity|error/i);
    // One line per object: created, or configured for the namespace made above.
    expect(run.stdout.trim().split('\n')).toHaveLength(manifests().length);
  });

  it('has every pod admitted under the enforced "restricted" level', async () => {
    const ns = kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const wanted = expectedPods(manifests());
    await eventually('every pod created', () => pods().length === wanted, {
      timeoutMs: 120_000,
      describe: () => kubectl(['-n', namespace, 'get', 'events', '--field-selector', 'reason=FailedCreate']).stdout,
    });
    const refused = kubectl(['-n', namespace, 'get', 'events', '--field-selector', 'reason=FailedCreate', '-o', 'name']);
    expect(refused.stdout.trim()).toBe('');
    // Enforced, not only labelled: a pod without a security context is refused in the namespace.
    const probe = kubectl(['-n', namespace, 'run', 'pss-probe', '--image=example.invalid/probe:1', '--dry-run=server']);
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain('violates PodSecurity "restricted:latest"');
  });

  it('rolls out every StatefulSet and Deployment (kwok runs the pods), completes the setup Job, binds every claim', async () => {
    await expectRolledOut();
  });

  it('schedules the pods on the agents only, spread over both', () => {
    const agents = new Set(nodes.filter((n) => n.role === 'agent').map((n) => n.name));
    const placed = pods().map((p) => p.spec.nodeName ?? '(unscheduled)');
    expect(placed.filter((n) => !agents.has(n))).toEqual([]);
    expect(new Set(placed).size).toBe(agents.size);
  });

  it('changes nothing when the same model is applied again: no diff, nothing stored changes', () => {
    const before = stored();
    const diff = kubectl(['diff', '-f', manifestFile]);
    expect(diff.stdout).toBe('');
    expect(diff.status, diff.stderr).toBe(0);
    const again = readmeApply();
    expect(again.status, again.stderr).toBe(0);
    // kubectl still prints "configured" for StatefulSets and PodDisruptionBudgets: client-side apply re-sends
    // lists the server fills in (volumeClaimTemplates) and fields it replaces whole (a PDB's selector), and the
    // server finds nothing to change. Any other kind patched means the manifests differ from what is stored
    // (a `1000m` the server keeps as `1`, a zero it drops).
    const patched = again.stdout.split('\n').filter((l) => / (configured|created)$/.test(l));
    expect(patched.filter((l) => !/^(statefulset\.apps|poddisruptionbudget\.policy)\/\S+ configured$/.test(l))).toEqual([]);
    expect(stored()).toEqual(before);
  });

  it('differs from a server-side apply only in kubectl\'s own last-applied annotation', () => {
    // Server-side apply rewrites the annotation client-side apply keeps (without its `"annotations":{}`), so after
    // the README's apply a server-side diff is never empty, and a Deployment counts an annotation change as a new
    // generation; nothing else may differ. Without --force-conflicts it would also stop at the StatefulSets'
    // volumeClaimTemplates, which client-side apply owns as a whole (the deploy role forces).
    const diff = kubectl(['diff', '--server-side', '--force-conflicts', '-f', manifestFile]);
    expect(diff.status, diff.stderr).toBe(1);
    const files = diff.stdout.split(/^diff -u -N .*$/m).filter((f) => f.trim().length > 0);
    const changed = files.flatMap((file) => {
      // The live file is named <group.>version.Kind.namespace.name; only the kind starts with a capital.
      const kind = /\/LIVE-\d+\/(\S+)/.exec(file)?.[1]?.split('.').find((part) => /^[A-Z]/.test(part)) ?? '?';
      const lines = file.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
      return lines.map((l) => `${kind} ${l}`);
    });
    expect(changed.length).toBeGreaterThan(0);
    const explained = (l: string) => /^\w+ [-+] {6}\{"apiVersion":/.test(l) || /^Deployment [-+] {2}generation: \d+$/.test(l);
    expect(changed.filter((l) => !explained(l))).toEqual([]);
  });
});

describe.sequential('the example, deployed as the deploy role does (server-side apply)', () => {
  it('starts from an empty namespace', async () => {
    const deleted = kubectl(['delete', 'namespace', namespace, '--wait=true', '--timeout=180s']);
    expect(deleted.status, deleted.stderr).toBe(0);
    // The storage stand-in deletes the released volumes, as local-path does.
    await eventually('volumes of the old namespace deleted', () => kubectlJson<{ items: unknown[] }>(['get', 'pv']).items.length === 0, {
      timeoutMs: 60_000,
    });
    createNamespaceAndSecret();
  });

  it('applies the manifests with the role\'s flags and rolls them out', async () => {
    const diff = kubectl(['diff', ...roleFlags]);
    // kubectl diff exits 1 when there are differences: everything is new here.
    expect(diff.status, diff.stderr).toBe(1);
    const applied = kubectl(['apply', ...roleFlags]);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stderr).not.toMatch(/PodSecurity|error/i);
    await expectRolledOut();
  });

  it('changes nothing on two more applies: kubectl diff is empty (the role reports no change) and nothing stored changes', () => {
    const before = stored();
    for (let round = 1; round <= 2; round++) {
      const diff = kubectl(['diff', ...roleFlags]);
      expect(diff.stdout, `round ${round}`).toBe('');
      expect(diff.status, diff.stderr).toBe(0);
      const applied = kubectl(['apply', ...roleFlags]);
      expect(applied.status, applied.stderr).toBe(0);
      expect(stored(), `round ${round}`).toEqual(before);
    }
  });
});
