// Runs site.yml for real against SSH hosts in network namespaces, on the inventory renderInventory writes.
// No k3s runs there: tasks tagged k3s_runtime (start k3s, kubeconfig) and kubernetes_api (wait Ready, taint/label,
// retire, kubectl deploy) are skipped; everything else (cloud-init check, tokens, config.yaml, airgap binary/images with sha256,
// systemd units, manifests copy and mirror) runs for real, twice, and the second run must change nothing.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInventory } from '../../stacks/inventory-text';
import { ansibleVars } from '../../stacks/ansible-vars';
import { loadEnvironment } from '../../config/load';
import { startSshHosts, type SshHosts } from '../../testbed/ssh-hosts';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../..');

interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

/** The PLAY RECAP lines of an ansible-playbook run, per host. */
function parseRecap(output: string): Record<string, Recap> {
  const recap: Record<string, Recap> = {};
  const tail = output.slice(output.lastIndexOf('PLAY RECAP'));
  for (const m of tail.matchAll(/^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
    recap[m[1]] = { ok: Number(m[2]), changed: Number(m[3]), unreachable: Number(m[4]), failed: Number(m[5]) };
  }
  return recap;
}

/** Names of the tasks that reported a change, for failure messages. */
function changedTasks(output: string): string[] {
  let task = '';
  const changed: string[] = [];
  for (const line of output.split('\n')) {
    const header = /^TASK \[(.*)\]/.exec(line);
    if (header) task = header[1];
    else if (/^changed: \[/.test(line)) changed.push(`${task} ${line.slice('changed: '.length)}`);
  }
  return changed;
}

// The whole play list over SSH: minutes on a loaded machine, well under one on an idle one.
const playbookTimeout = 600_000;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('site.yml on SSH hosts', () => {
  let bed: SshHosts;
  let work: string;
  let inventory: string;
  let manifests: string;
  let server: { name: string; address: string };
  let agent: { name: string; address: string };
  const binary = randomBytes(4096);
  // What the stack derives from its cluster secret and hands the run in its environment.
  const serverToken = randomBytes(32).toString('hex');
  const agentToken = randomBytes(32).toString('hex');
  const images = randomBytes(8192);

  async function playbook(extra: string[] = [], override: Record<string, string> = {}) {
    const env = {
      ...process.env,
      ANSIBLE_CONFIG: join(repoRoot, 'ansible/ansible.cfg'),
      ANSIBLE_PRIVATE_KEY_FILE: bed.keyFile,
      // These hosts are this test's own: their keys are trusted on first use (the stack's inventory checks strictly).
      ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile=${bed.knownHostsFile} -o StrictHostKeyChecking=accept-new -o BatchMode=yes`,
      WOLKE_K3S_TOKEN: serverToken,
      WOLKE_K3S_AGENT_TOKEN: agentToken,
      ANSIBLE_SSH_CONTROL_PATH_DIR: join(work, 'cp'),
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCAL_TEMP: join(work, 'tmp'),
      ...override,
    };
    const args = ['-i', inventory, 'ansible/site.yml', '--skip-tags', 'k3s_runtime,kubernetes_api', ...extra];
    try {
      const { stdout, stderr } = await run('ansible-playbook', args, { cwd: repoRoot, env, maxBuffer: 64 << 20, timeout: playbookTimeout });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  }

  async function onHost(address: string, command: string): Promise<string> {
    const { stdout } = await run('ssh', [
      '-i', bed.keyFile,
      '-o', `UserKnownHostsFile=${bed.knownHostsFile}`,
      '-o', 'StrictHostKeyChecking=accept-new',
      '-o', 'BatchMode=yes',
      `root@${address}`,
      command,
    ]);
    return stdout;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wolke-ansible-site-'));
    mkdirSync(join(work, 'tmp'));
    mkdirSync(join(work, 'cp'));
    bed = await startSshHosts({ names: ['test-server-1', 'test-agent-1'] });
    [server, agent] = bed.hosts;

    writeFileSync(join(work, 'k3s'), binary);
    writeFileSync(join(work, 'k3s-airgap-images-amd64.tar.zst'), images);
    manifests = join(work, 'dist');
    mkdirSync(manifests);
    writeFileSync(join(manifests, 'a-config.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n');
    writeFileSync(join(manifests, 'b-config.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n');

    // The example model, airgapped, with the paths the stack would pass; only addresses differ from a cloud.
    const model = loadEnvironment('example', '');
    const env = {
      ...model,
      name: 'sshtest',
      cluster: {
        ...model.cluster,
        // Networks other than k3s's defaults, so the configuration shows the model's and not k3s's own.
        podCidr: '10.52.0.0/16',
        serviceCidr: '10.53.0.0/20',
        airgap: {
          binary: { path: join(work, 'k3s'), sha256: sha256(binary) },
          images: { path: join(work, 'k3s-airgap-images-amd64.tar.zst'), sha256: sha256(images) },
        },
      },
    };
    inventory = join(work, 'inventory.yml');
    writeFileSync(
      inventory,
      renderInventory({
        servers: [{ name: server.name, floatingIp: server.address, privateIp: server.address }],
        agents: [{ name: agent.name, floatingIp: agent.address, privateIp: agent.address }],
        sshUser: 'root',
        // The roles default the paths to dist/<env> and ansible/kubeconfig/; this run keeps its own.
        // The stack's strict known_hosts is left out: this test's hosts are trusted on first use (see playbook()).
        vars: {
          ...Object.fromEntries(Object.entries(ansibleVars(env, { apiEndpoint: server.address, knownHostsFile: 'unused' })).filter(([k]) => k !== 'ansible_ssh_common_args')),
          wolke_manifests_dir: manifests,
          wolke_kubeconfig_path: join(work, 'kubeconfig.yaml'),
        },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await bed?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  let firstRun: { code: number; output: string };

  it('installs for real on the first run', async () => {
    firstRun = await playbook();
    expect(firstRun.code, firstRun.output).toBe(0);
    const recap = parseRecap(firstRun.output);
    expect(Object.keys(recap).sort()).toEqual([agent.name, server.name].sort());
    for (const host of Object.values(recap)) {
      expect(host.failed).toBe(0);
      expect(host.unreachable).toBe(0);
      expect(host.changed).toBeGreaterThan(0);
    }
  }, playbookTimeout + 60_000);

  it("writes the server configuration with the stack's tokens, mode 0600, and never prints them", async () => {
    expect(await onHost(server.address, 'stat -c %a /etc/rancher/k3s/config.yaml')).toBe('600\n');
    const config = parse(await onHost(server.address, 'cat /etc/rancher/k3s/config.yaml')) as Record<string, unknown>;
    expect(config).toMatchObject({
      'node-name': server.name,
      'node-ip': server.address,
      token: serverToken,
      'agent-token': agentToken,
      'node-taint': ['node-role.kubernetes.io/control-plane:NoSchedule'],
      'flannel-backend': 'vxlan',
      'cluster-cidr': '10.52.0.0/16',
      'service-cidr': '10.53.0.0/20',
    });
    expect(config['tls-san']).toContain(server.address);
    // No server of the environment ran: the first server initialises a new cluster, on embedded etcd, joining nobody.
    expect(config['cluster-init']).toBe(true);
    expect(config).not.toHaveProperty('server');
    // Nothing but the configuration: the tokens live in no other file on the node.
    expect(await onHost(server.address, 'ls /etc/rancher/k3s')).toBe('config.yaml\n');
    expect(firstRun.output).not.toContain(serverToken);
    expect(firstRun.output).not.toContain(agentToken);
  });

  it('joins the agent with the agent token only', async () => {
    expect(await onHost(agent.address, 'stat -c %a /etc/rancher/k3s/config.yaml')).toBe('600\n');
    const config = parse(await onHost(agent.address, 'cat /etc/rancher/k3s/config.yaml')) as Record<string, unknown>;
    expect(config).toMatchObject({
      server: `https://${server.address}:6443`,
      token: agentToken,
      'node-name': agent.name,
      'node-label': ['nodepool=worker'],
    });
    expect(await onHost(agent.address, 'ls /etc/rancher/k3s')).toBe('config.yaml\n');
    expect(JSON.stringify(config)).not.toContain(serverToken);
  });

  it('a node keeps the cluster it started in: a later run with another join address leaves server and cluster-init alone', async () => {
    const result = await playbook(['-e', 'k3s_join_address=10.99.0.1']);
    expect(result.code, result.output).toBe(0);
    expect(changedTasks(result.output)).toEqual([]);
    const config = parse(await onHost(server.address, 'cat /etc/rancher/k3s/config.yaml')) as Record<string, unknown>;
    expect(config['cluster-init']).toBe(true);
    expect(config).not.toHaveProperty('server');
  }, playbookTimeout + 60_000);

  it('refuses to move a running server to another pod or Service network, and leaves its configuration alone', async () => {
    const before = await onHost(server.address, 'sha256sum /etc/rancher/k3s/config.yaml');
    const result = await playbook(['-e', 'k3s_cluster_cidr=10.62.0.0/16']);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(
      `${server.name} runs the pod network 10.52.0.0/16 and the Service network 10.53.0.0/20; the model asks for 10.62.0.0/16 and 10.53.0.0/20. k3s cannot move a running cluster to other networks`,
    );
    expect(changedTasks(result.output)).toEqual([]);
    expect(await onHost(server.address, 'sha256sum /etc/rancher/k3s/config.yaml')).toBe(before);
    expect(result.output).not.toContain(serverToken);
  }, playbookTimeout + 60_000);

  it('refuses to configure nodes without the join tokens, saying where they come from', async () => {
    const result = await playbook([], { WOLKE_K3S_TOKEN: '', WOLKE_K3S_AGENT_TOKEN: '' });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('the join tokens are missing: they come from the stack');
  }, playbookTimeout + 60_000);

  it('places the airgap binary, images and systemd units checked by sha256', async () => {
    for (const host of [server, agent]) {
      const listing = await onHost(
        host.address,
        'sha256sum /usr/local/bin/k3s /var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst; stat -c %a /usr/local/bin/k3s',
      );
      expect(listing).toContain(`${sha256(binary)}  /usr/local/bin/k3s`);
      expect(listing).toContain(`${sha256(images)}  /var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst`);
      expect(listing.trim().split('\n').at(-1)).toBe('755');
    }
    expect(await onHost(server.address, 'grep ^ExecStart= /etc/systemd/system/k3s.service')).toBe('ExecStart=/usr/local/bin/k3s server\n');
    expect(await onHost(agent.address, 'grep ^ExecStart= /etc/systemd/system/k3s-agent.service')).toBe(
      'ExecStart=/usr/local/bin/k3s agent\n',
    );
  });

  it('copies the manifests to the first server only', async () => {
    expect(await onHost(server.address, 'ls /var/lib/wolke/manifests/sshtest')).toBe('a-config.k8s.yaml\nb-config.k8s.yaml\n');
    expect(await onHost(agent.address, 'ls -A /var/lib/wolke')).toBe('');
  });

  it('changes nothing on the second run', async () => {
    const second = await playbook();
    expect(second.code, second.output).toBe(0);
    const recap = parseRecap(second.output);
    expect(Object.keys(recap)).toHaveLength(2);
    expect(changedTasks(second.output)).toEqual([]);
    for (const [host, counts] of Object.entries(recap)) {
      expect({ host, ...counts }).toMatchObject({ host, changed: 0, failed: 0, unreachable: 0 });
    }
  }, playbookTimeout + 60_000);

  it('mirrors a removed manifest on the server, so the prune sees it gone', async () => {
    unlinkSync(join(manifests, 'b-config.k8s.yaml'));
    const result = await playbook(['--tags', 'deploy']);
    expect(result.code, result.output).toBe(0);
    expect(parseRecap(result.output)[server.name].changed).toBe(1);
    expect(await onHost(server.address, 'ls /var/lib/wolke/manifests/sshtest')).toBe('a-config.k8s.yaml\n');
  }, playbookTimeout + 60_000);

  it('refuses an airgap artifact whose sha256 differs from the model', async () => {
    const wrong = '0'.repeat(64);
    const result = await playbook(['-e', `k3s_airgap_images_sha256=${wrong}`]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`sha256 is ${sha256(images)}, the model says ${wrong}`);
  }, playbookTimeout + 60_000);
});
