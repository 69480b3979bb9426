// A first server for the deploy role and the operator CLI: an SSH test host whose `k3s kubectl` is a stand-in that
// reaches the test-bed control plane, its inventory where `cdktf deploy` would write it, and the example model
// under a name (and namespace) of its own, so the CLI can edit it like an operator's file.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { environmentFile, loadEnvironment } from '../../config/load';
import type { Environment } from '../../config/schema';
import { synthesizeManifests } from '../../charts/manifests';
import { ansibleVars } from '../../stacks/ansible-vars';
import { renderInventory } from '../../stacks/inventory-text';
import { installK3sStandIn } from '../../testbed/kubernetes-k3s';
import { startSshHosts, type SshHosts } from '../../testbed/ssh-hosts';
import { kubectl, kubectlJson, type KubeObject } from './kubectl';
import { eventually } from './wait';

export const repoRoot = resolve(__dirname, '..', '..');

export interface Run {
  code: number | null;
  output: string;
}

export interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

/** The PLAY RECAP line of each host of an ansible-playbook run. */
export function parseRecap(output: string): Record<string, Recap> {
  const recap: Record<string, Recap> = {};
  const tail = output.slice(output.lastIndexOf('PLAY RECAP'));
  for (const m of tail.matchAll(/^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    recap[m[1]] = { ok: Number(m[2]), changed: Number(m[3]), unreachable: Number(m[4]), failed: Number(m[5]) };
  }
  return recap;
}

/** Names of the tasks that reported a change, for failure messages. */
export function changedTasks(output: string): string[] {
  let task = '';
  const changed: string[] = [];
  for (const line of output.split('\n')) {
    const header = /^TASK \[(.*)\]/.exec(line);
    if (header) task = header[1];
    else if (/^changed: \[/.test(line)) changed.push(task);
  }
  return changed;
}

/** Runs a program from the repository root to its end without blocking the worker; never rejects. */
export function runProgram(
  program: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { timeoutMs?: number; output?: (soFar: string) => void } = {},
): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(program, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (d: Buffer) => {
      output += d.toString();
      options.output?.(output);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 600_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      done({ code: -1, output: `${output}${String(error)}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

export interface RoleBed {
  /** The environment's name, which is also its namespace here. */
  name: string;
  namespace: string;
  /** The model file (a copy of the example), which the CLI edits. */
  modelFile: string;
  /** ansible/inventory/<name>.yml */
  inventory: string;
  /** dist/<name>, where the role reads the manifests from. */
  manifestsDir: string;
  serverName: string;
  /** A temporary directory of this bed's own (removed on stop). */
  workDir: string;
  /** The model as the file now says. */
  env(): Environment;
  /** Writes the model's manifests into dist/<name> (what `npx wolke deploy` and `npm start` do first). */
  synthesize(): string;
  /** Rewrites the inventory with these role variables on top of the model's (e.g. deploy_rollout_timeout). */
  writeInventory(vars?: Record<string, string | number | boolean>): void;
  /** Ansible's settings for this host: its key, its known_hosts, no colours. */
  ansibleEnv(): NodeJS.ProcessEnv;
  /** `ansible-playbook -i ansible/inventory/<name>.yml ansible/deploy.yml [extra]`; `output` sees it as it comes. */
  playbook(extra?: string[], output?: (soFar: string) => void): Promise<Run>;
  /** `npm run <args>` with `--env <model file>` appended. */
  npm(args: string[]): Promise<Run>;
  stop(): Promise<void>;
}

export interface RoleBedOptions {
  /** Role variables for the inventory (the rollout timeout, Traefik's switch, the CRD source). */
  vars?: Record<string, string | number | boolean>;
  /** Edits the example model's text before it is written (e.g. cluster.traefik: false). */
  edit?: (text: string) => string;
}

/** Namespaces other k8s test files leave deployed: two copies of the example do not fit the agents, as on a real cluster. */
export async function removeOtherDeployments(keep: string[] = []): Promise<void> {
  const namespaces = kubectlJson<{ items: KubeObject[] }>(['get', 'namespaces', '-l', 'pod-security.kubernetes.io/enforce=restricted']).items;
  for (const ns of namespaces.map((n) => n.metadata.name).filter((n) => !keep.includes(n))) {
    const deleted = kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=180s']);
    if (deleted.status !== 0) throw new Error(`deleting namespace ${ns}: ${deleted.stderr}`);
  }
  await eventually('volumes of deleted namespaces released', () => kubectlJson<{ items: KubeObject[] }>(['get', 'pv']).items.length === 0, {
    timeoutMs: 60_000,
  });
}

export async function startRoleBed(name: string, options: RoleBedOptions = {}): Promise<RoleBed> {
  const { kubectl: kubectlBinary, kubeconfig } = inject('kubernetes');
  const work = mkdtempSync(join(tmpdir(), `wolke-k8s-${name}-`));
  mkdirSync(join(work, 'cp'));
  mkdirSync(join(work, 'tmp'));
  const modelDir = join(work, 'model');
  mkdirSync(modelDir);
  const modelFile = join(modelDir, `${name}.yaml`);
  const example = readFileSync(environmentFile('example'), 'utf8')
    .replace(/^name: example$/m, `name: ${name}`)
    .replace(/^ {2}namespace: wolke$/m, `  namespace: ${name}`)
    .replace(/name: wolke-example$/m, `name: wolke-${name}`);
  writeFileSync(modelFile, options.edit ? options.edit(example) : example);
  copyFileSync(join(repoRoot, 'config', 'environments', 'example.pub'), join(modelDir, 'example.pub'));
  const inventory = join(repoRoot, 'ansible', 'inventory', `${name}.yml`);
  const manifestsDir = join(repoRoot, 'dist', name);
  const load = () => loadEnvironment(modelFile, '');
  if (load().apps.namespace !== name) throw new Error(`the model copy of ${name} did not get its own namespace`);

  const hosts: SshHosts = await startSshHosts({ names: [`${name}-server-1`] });
  const host = hosts.hosts[0];
  installK3sStandIn(hosts, host, { kubectl: kubectlBinary, kubeconfig, networkOfPid: process.pid });

  let inventoryVars = options.vars ?? {};
  const writeInventory = (vars: Record<string, string | number | boolean> = {}) => {
    inventoryVars = { ...(options.vars ?? {}), ...vars };
    writeFileSync(
      inventory,
      renderInventory({
        servers: [{ name: host.name, floatingIp: host.address, privateIp: host.address }],
        agents: [],
        sshUser: 'root',
        // The stack's strict known_hosts is left out: these test hosts are trusted on first use (ansibleEnv below).
        vars: {
          ...Object.fromEntries(Object.entries(ansibleVars(load(), { apiEndpoint: host.address, knownHostsFile: 'unused' })).filter(([k]) => k !== 'ansible_ssh_common_args')),
          ...inventoryVars,
        },
      }),
    );
  };
  writeInventory();

  const ansibleEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    ANSIBLE_PRIVATE_KEY_FILE: hosts.keyFile,
    ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile=${hosts.knownHostsFile} -o StrictHostKeyChecking=accept-new -o BatchMode=yes`,
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(work, 'cp'),
    ANSIBLE_LOCAL_TEMP: join(work, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    // The CLI runs `npx wolke` through npm; neither may pick an environment other than the one named.
    WOLKE_ENV: '',
    WOLKE_SET: '',
  });

  return {
    name,
    namespace: name,
    modelFile,
    inventory,
    manifestsDir,
    serverName: host.name,
    workDir: work,
    env: load,
    synthesize: () => synthesizeManifests(load(), manifestsDir),
    writeInventory,
    ansibleEnv,
    playbook: (extra = [], output) =>
      runProgram(
        'ansible-playbook',
        ['-i', inventory, 'ansible/deploy.yml', ...extra],
        { ...ansibleEnv(), ANSIBLE_CONFIG: join(repoRoot, 'ansible', 'ansible.cfg') },
        { output },
      ),
    npm: (args) => runProgram('npm', ['run', ...args, '--env', modelFile], ansibleEnv()),
    stop: async () => {
      kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=180s']);
      await hosts.stop();
      rmSync(inventory, { force: true });
      rmSync(manifestsDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Bytes of a memory quantity as the API server prints them (plain, Ki, Mi, Gi, k, M, G). */
export function memoryBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (!m) throw new Error(`not a memory quantity: ${q}`);
  const unit: Record<string, number> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(m[1]) * unit[m[2] ?? ''];
}

interface PodSpecView {
  nodeName?: string;
  containers: { resources?: { requests?: Record<string, string> } }[];
  initContainers?: { resources?: { requests?: Record<string, string> } }[];
}

/**
 * Fills every agent's memory with one "ballast" pod each, leaving less than `leaveMiB` free, as other tenants would:
 * a rolling update then has no room for its extra pod and stays stuck with FailedScheduling. This is how a rollout
 * fails honestly on kwok, which makes every pod it runs Ready. Resolves to a function that removes the ballast.
 */
export async function fillAgents(leaveMiB = 64): Promise<() => void> {
  const namespace = 'ballast';
  kubectl(['create', 'namespace', namespace]);
  const nodes = kubectlJson<{ items: (KubeObject & { status: { allocatable: Record<string, string> } })[] }>(['get', 'nodes', '-l', 'nodepool=worker']).items;
  const pods = kubectlJson<{ items: (KubeObject & { spec: PodSpecView })[] }>(['get', 'pods', '-A', '--field-selector', 'status.phase!=Succeeded,status.phase!=Failed']).items;
  for (const node of nodes) {
    const used = pods
      .filter((p) => p.spec.nodeName === node.metadata.name)
      .reduce((sum, p) => sum + p.spec.containers.reduce((s, c) => s + memoryBytes(c.resources?.requests?.memory ?? '0'), 0), 0);
    const free = memoryBytes(node.status.allocatable.memory) - used;
    const ballast = Math.floor(free / 2 ** 20) - leaveMiB;
    if (ballast <= 0) continue;
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `ballast-${node.metadata.name}`, namespace },
      spec: {
        nodeName: node.metadata.name,
        containers: [{ name: 'ballast', image: 'example.invalid/ballast:1', resources: { requests: { memory: `${ballast}Mi`, cpu: '10m' } } }],
      },
    };
    const created = kubectl(['apply', '-f', '-'], JSON.stringify(pod));
    if (created.status !== 0) throw new Error(`ballast on ${node.metadata.name}: ${created.stderr}`);
  }
  await eventually('ballast running', () => kubectlJson<{ items: KubeObject[] }>(['-n', namespace, 'get', 'pods']).items.every((p) => p.status?.phase === 'Running'), {
    timeoutMs: 60_000,
  });
  return () => {
    kubectl(['delete', 'namespace', namespace, '--wait=true', '--timeout=120s']);
  };
}

/** Pods the manifests ask for: Deployment replicas (the HPA's floor when it owns the count), StatefulSets, Jobs. */
export function expectedPods(objects: KubeObject[]): number {
  const hpaFloor = (name: string) =>
    objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && (o.spec?.scaleTargetRef as { name: string }).name === name)?.spec
      ?.minReplicas as number;
  return objects.reduce((sum, o) => {
    if (o.kind === 'Deployment') return sum + ((o.spec?.replicas as number | undefined) ?? hpaFloor(o.metadata.name));
    if (o.kind === 'StatefulSet') return sum + (o.spec?.replicas as number);
    if (o.kind === 'Job') return sum + ((o.spec?.completions as number | undefined) ?? 1);
    return sum;
  }, 0);
}

/** The image each Deployment's pod template names, by Deployment. */
export function deploymentImages(namespace: string): Record<string, string> {
  const items = kubectlJson<{ items: (KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } })[] }>([
    '-n',
    namespace,
    'get',
    'deployments',
  ]).items;
  return Object.fromEntries(items.map((d) => [d.metadata.name, d.spec.template.spec.containers.map((c) => c.image).join(',')]));
}

/** The generation of each Deployment: it changes only when its spec does. */
export function deploymentGenerations(namespace: string): Record<string, number> {
  const items = kubectlJson<{ items: KubeObject[] }>(['-n', namespace, 'get', 'deployments']).items;
  return Object.fromEntries(items.map((d) => [d.metadata.name, d.metadata.generation ?? -1]));
}
