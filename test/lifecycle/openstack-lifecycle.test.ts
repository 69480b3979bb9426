// The README's deploy and upgrade sections, run as written against the real OpenStack test bed: preflight refusals,
// deploy, diff, a no-op re-deploy, a second checkout on the remote state, a concurrent deploy refused by the lock,
// scaling agents up and down, removing an admin CIDR, rolling k3s, image and flavor changes one node per deploy, and
// destroy. Every assertion reads what the OpenStack API, the Kubernetes API or the SSH hosts report.
import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client as MinioClient } from 'minio';
import { OpenStackClient } from '../../scripts/openstack/client';
import { cdktf, type CliResult } from '../support/cdktf-cli';
import { fewestReadyAgents, leftAt, watchRoll, type Sample } from '../support/roll-watch';

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../..');
const step = 15 * 60_000;

interface Server {
  id: string;
  name: string;
  status: string;
  metadata: Record<string, string>;
  addresses: Record<string, { addr: string; 'OS-EXT-IPS:type': string }[]>;
}

describe('cdktf deploy, diff and destroy against a real OpenStack API', () => {
  const name = `lc${randomBytes(3).toString('hex')}`;
  const prefix = `wolke-${name}`;
  const adminCidrs = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'];
  let work: string;
  let envFile: string;
  let env: NodeJS.ProcessEnv;
  let user: OpenStackClient;
  let admin: OpenStackClient;
  const bucket = `tfstate-${name}`;

  const writeModel = (patch: (m: Record<string, any>) => void = () => {}) => {
    const model = parse(readFileSync(join(repoRoot, 'config/environments/example.yaml'), 'utf8'));
    // The k3s the install role places is the test bed's stand-in: `k3s kubectl` reaches the Kubernetes test bed.
    const binary = inject('lifecycleKubernetes').k3sStandIn;
    const images = join(work, 'k3s-airgap-images-amd64.tar.zst');
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    model.name = name;
    model.openstack.keypair = { name: prefix, publicKey: readFileSync(`${inject('sshHosts').keyFile}.pub`, 'utf8').trim() };
    model.openstack.sshUser = 'root';
    model.openstack.adminCidrs = adminCidrs;
    // No k3s download here: the install role takes the airgap path with files checked by sha256.
    model.cluster.airgap = { binary: { path: binary, sha256: sha(binary) }, images: { path: images, sha256: sha(images) } };
    model.state = { endpoint: inject('stateStore').endpoint, bucket, key: `${name}.tfstate`, pathStyle: true };
    patch(model);
    writeFileSync(envFile, stringify(model));
  };

  // Every run's output is kept in the test bed's log folder, for the reader of a failed run.
  let runs = 0;
  const logged = async (args: string[], cwd: string) => {
    const result = await cdktf(args, { cwd, env, timeoutMs: step });
    writeFileSync(join(inject('lifecycleLogDir'), `cdktf-${String(++runs).padStart(2, '0')}-${args[0]}.log`), `exit ${result.code}\n${result.output}`);
    return result;
  };
  const deploy = (cwd = repoRoot) => logged(['deploy', '--auto-approve'], cwd);
  const diff = (cwd = repoRoot) => logged(['diff'], cwd);
  const expectOk = (r: CliResult) => expect(r.code, r.output.slice(-6000)).toBe(0);

  const servers = async () =>
    (await user.get<{ servers: Server[] }>('compute', `/servers/detail?name=${encodeURIComponent(`^${prefix}-`)}`)).servers;
  const rulesOf = async (group: string) => {
    const { security_groups: groups } = await user.get<{ security_groups: { id: string; security_group_rules: { id: string; remote_ip_prefix: string | null }[] }[] }>(
      'network',
      `/security-groups?name=${prefix}-${group}`,
    );
    return groups[0]?.security_group_rules ?? [];
  };
  // Through the known_hosts the stack writes, strictly: a host key other than the one the stack gave the node fails.
  const onHost = async (address: string, command: string) => {
    const knownHosts = join(repoRoot, `ansible/inventory/${name}.known_hosts`);
    const { stdout } = await run('ssh', [
      '-i', inject('sshHosts').keyFile,
      '-o', `UserKnownHostsFile=${knownHosts}`,
      '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes',
      `root@${address}`,
      command,
    ]);
    return stdout;
  };
  const kube = async (...args: string[]) => {
    const k = inject('lifecycleKubernetes');
    return (await run(k.kubectl, ['--kubeconfig', k.kubeconfig, ...args], { maxBuffer: 16 << 20 })).stdout;
  };
  const readyNodes = async () =>
    Object.fromEntries(
      (JSON.parse(await kube('get', 'nodes', '-o', 'json')) as { items: { metadata: { name: string }; status: { conditions?: { type: string; status: string }[] } }[] }).items
        .filter((n) => n.metadata.name.startsWith(`${prefix}-`))
        .map((n) => [n.metadata.name, n.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false]),
    );

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wolke-lifecycle-'));
    writeFileSync(join(work, 'k3s'), randomBytes(4096));
    writeFileSync(join(work, 'k3s-airgap-images-amd64.tar.zst'), randomBytes(4096));
    envFile = join(work, `${name}.yaml`);
    writeModel();
    const hosts = inject('sshHosts');
    const store = inject('stateStore');
    const url = new URL(store.endpoint);
    const minio = new MinioClient({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey: store.accessKey, secretKey: store.secretKey });
    await minio.makeBucket(bucket);
    env = {
      ...process.env,
      ...inject('openrc'),
      // The README's offline recipe.
      TF_CLI_CONFIG_FILE: inject('tfCliConfig'),
      CDKTF_SKIP_PROVIDER_LOCK: 'true',
      CHECKPOINT_DISABLE: '1',
      WOLKE_ENV: envFile,
      AWS_ACCESS_KEY_ID: store.accessKey,
      AWS_SECRET_ACCESS_KEY: store.secretKey,
      // The user's SSH setup: the keypair's private key. Host keys are checked against the stack's known_hosts.
      ANSIBLE_PRIVATE_KEY_FILE: hosts.keyFile,
      // No k3s runs on the SSH hosts: only the steps that need a running k3s are skipped; `k3s kubectl` works.
      ANSIBLE_SKIP_TAGS: 'k3s_runtime',
      ANSIBLE_NOCOLOR: '1',
    };
    user = await OpenStackClient.connect(env);
    admin = await OpenStackClient.connect({ ...inject('adminOpenrc') });
  }, 120_000);

  afterAll(async () => {
    // Whatever a failed step left behind: destroy through Terraform, then remove this run's files.
    if (user && (await servers()).length > 0) await cdktf(['destroy', '--auto-approve'], { cwd: repoRoot, env, timeoutMs: step });
    for (const path of [`cdktf.out/stacks/${name}`, `dist/${name}`, `ansible/inventory/${name}.yml`, `ansible/inventory/${name}.known_hosts`]) {
      rmSync(join(repoRoot, path), { recursive: true, force: true });
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, step);

  it('refuses to plan without credentials, saying what to do instead of the provider\'s raw error', async () => {
    const noCredentials = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('OS_')));
    const result = await cdktf(['diff'], { cwd: repoRoot, env: noCredentials, timeoutMs: step });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("preflight: no OpenStack credentials: OS_AUTH_URL not set: source your project's openrc");
    expect(result.output).not.toContain("One of 'auth_url' or 'cloud' must be specified");
  }, step);

  it('refuses a deploy that exceeds the project quota before creating anything, naming the quota', async () => {
    await admin.request('compute', `/os-quota-sets/${user.projectId}`, { method: 'PUT', body: { quota_set: { instances: 2 } } });
    try {
      const result = await deploy();
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/quota.*instances|instances.*quota/i);
      expect(await servers()).toEqual([]);
      const { networks } = await user.get<{ networks: unknown[] }>('network', `/networks?name=${prefix}-net`);
      expect(networks).toEqual([]);
    } finally {
      await admin.request('compute', `/os-quota-sets/${user.projectId}`, { method: 'PUT', body: { quota_set: { instances: 20 } } });
    }
  }, step);

  let first: Server[];
  let outputs: Record<string, { value: string }>;
  let identity: { token: string; master: string };

  it('deploys the model in one apply: servers ACTIVE, floating IPs associated, Ansible run on them', async () => {
    const result = await deploy();
    expectOk(result);
    expect(result.output).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
    first = await servers();
    expect(first.map((s) => s.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(first.filter((s) => s.metadata['wolke-role'] === 'server')).toHaveLength(1);

    const { stdout } = await run('terraform', ['output', '-json'], { cwd: join(repoRoot, 'cdktf.out/stacks', name), env });
    outputs = JSON.parse(stdout);
    const { floatingips } = await user.get<{ floatingips: { floating_ip_address: string; port_id: string | null; description: string }[] }>('network', '/floatingips');
    const ours = floatingips.filter((f) => f.description.startsWith(`${prefix} `));
    expect(ours).toHaveLength(3);
    for (const fip of ours) expect(fip.port_id).toBeTruthy();
    const master = ours.find((f) => f.description === `${prefix} server 0`)!.floating_ip_address;
    expect(outputs.master_floating_ip.value).toBe(master);
    expect(outputs.kubernetes_api_url.value).toBe(`https://${master}:6443`);
    expect(outputs.inventory_path.value).toBe(`ansible/inventory/${name}.yml`);
    const inventory = readFileSync(join(repoRoot, outputs.inventory_path.value), 'utf8');
    for (const fip of ours) expect(inventory).toContain(`ansible_host: ${fip.floating_ip_address}`);

    // Ansible ran for real through the floating IPs: the first server's k3s configuration names that server.
    expect(result.output).toMatch(/PLAY RECAP/);
    const serverName = first.find((s) => s.metadata['wolke-role'] === 'server')!.name;
    const config = parse(await onHost(master, 'cat /etc/rancher/k3s/config.yaml'));
    expect(config['node-name']).toBe(serverName);
    // No server ran before: this one initialised a new cluster, on embedded etcd.
    expect(config['cluster-init']).toBe(true);
    expect(config).not.toHaveProperty('server');
    identity = { token: config.token, master };
    expect(identity.token).toMatch(/^[0-9a-f]{64}$/);
    expect(result.output).not.toContain(identity.token);
    // Every node joined the cluster and is Ready (the stand-in registers it; Ansible waited for Ready and labelled it).
    expect(await readyNodes()).toEqual(Object.fromEntries(first.map((s) => [s.name, true])));
  }, step);

  it('then diff shows no changes, and a second deploy changes nothing and does not re-run Ansible', async () => {
    const shown = await diff();
    expectOk(shown);
    expect(shown.output).toContain('No changes.');
    const again = await deploy();
    expectOk(again);
    expect(again.output).not.toMatch(/Provisioning with 'local-exec'|PLAY RECAP/);
    expect((await servers()).map((s) => s.id).sort()).toEqual(first.map((s) => s.id).sort());
  }, 2 * step);

  let checkout: string;

  /** Addresses of the resources a plan or apply output says it creates, replaces or destroys. */
  const planned = (output: string, action: 'created' | 'destroyed' | 'updated in-place' | 'replaced') =>
    [...new Set([...output.matchAll(new RegExp(`# (\\S+) (?:\\(\\S+\\) )?(?:will be|must be) ${action}`, 'g'))].map((m) => m[1]))];

  it('a second checkout sees the same remote state: its diff changes nothing in the cloud', async () => {
    checkout = mkdtempSync(join(tmpdir(), 'wolke-checkout-'));
    // What a checkout holds: the files git tracks (and new ones it does not ignore), without this one's inventories.
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file !== '' && !file.startsWith('ansible/inventory/') && existsSync(join(repoRoot, file)));
    for (const file of files) cpSync(join(repoRoot, file), join(checkout, file), { recursive: true });
    mkdirSync(join(checkout, 'ansible/inventory'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(checkout, 'node_modules'));
    expect(existsSync(join(checkout, 'cdktf.out'))).toBe(false);
    const shown = await diff(checkout);
    expectOk(shown);
    // The state is shared; only this machine's copies of the inventory and known_hosts (local files) are missing.
    expect(planned(shown.output, 'created').sort()).toEqual([expect.stringMatching(/^local_file\.inventory_file_/), expect.stringMatching(/^local_file\.known-hosts_file_/)]);
    expect(shown.output).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
  }, step);

  it('two concurrent deploys of 3 agents: the state lock refuses one; the other adds one node and touches no other', async () => {
    writeModel((m) => (m.cluster.agents.count = 3));
    const results = await Promise.all([deploy(), deploy(checkout)]);
    const refused = results.filter((r) => r.code !== 0);
    expect(refused, results.map((r) => r.output.slice(-3000)).join('\n----\n')).toHaveLength(1);
    expect(refused[0].output).toContain('Error acquiring the state lock');
    const applied = results.find((r) => r.code === 0)!;
    expect(applied.output).toMatch(/Apply complete! Resources: \d+ added, 0 changed, \d+ destroyed/);
    expect(applied.output).not.toMatch(/openstack_(compute_instance|networking_port|networking_floatingip)_v2\.\S+ must be replaced|openstack_compute_instance_v2\.\S+: Destroying/);
    const now = await servers();
    expect(now).toHaveLength(4);
    for (const s of first) expect(now.find((n) => n.id === s.id)?.status).toBe('ACTIVE');
  }, 2 * step);

  it('removing one admin CIDR of three changes only the rules of that CIDR', async () => {
    const before = [...(await rulesOf('servers')), ...(await rulesOf('agents'))];
    writeModel((m) => {
      m.cluster.agents.count = 3;
      m.openstack.adminCidrs = [adminCidrs[0], adminCidrs[2]];
    });
    const result = await deploy();
    expectOk(result);
    // If the other checkout applied the 3rd agent, this checkout rewrites its local files; nothing else is created.
    const created = planned(result.output, 'created');
    expect(created.filter((a) => !/^local_file\.(inventory|known-hosts)_file_/.test(a))).toEqual([]);
    expect(planned(result.output, 'destroyed')).toEqual(Array(3).fill(expect.stringMatching(/^openstack_networking_secgroup_rule_v2\.security_admins-to-\S+-from-198-51-100-0_24_/)));
    expect(planned(result.output, 'replaced')).toEqual([]);
    expect(result.output).toContain(`Apply complete! Resources: ${created.length} added, 0 changed, 3 destroyed.`);
    const after = [...(await rulesOf('servers')), ...(await rulesOf('agents'))];
    const gone = before.filter((r) => !after.some((a) => a.id === r.id));
    expect(gone.map((r) => r.remote_ip_prefix)).toEqual([adminCidrs[1], adminCidrs[1], adminCidrs[1]]);
    expect(after.every((r) => before.some((b) => b.id === r.id))).toBe(true);
  }, step);

  /** The deployed model from here on: 2 admin CIDRs, and what the roll tests change. */
  const rolled = (patch: (m: Record<string, any>) => void = () => {}) =>
    writeModel((m) => {
      m.openstack.adminCidrs = [adminCidrs[0], adminCidrs[2]];
      patch(m);
    });
  const replacedServers = (output: string) => planned(output, 'replaced').filter((a) => a.startsWith('openstack_compute_instance_v2.'));

  /** One deploy, watched: which server left, and whether its node left Kubernetes first, drained by Ansible. */
  const watchedDeploy = async () => {
    const before = await servers();
    const watch = watchRoll({ user, prefix, ...inject('lifecycleKubernetes') });
    const result = await deploy();
    const samples = await watch.stop();
    expectOk(result);
    const after = await servers();
    const gone = before.filter((b) => !after.some((a) => a.id === b.id)).map((b) => b.name);
    for (const old of gone) {
      const nodeLeft = leftAt(samples, (s: Sample) => old in s.nodes);
      const serverLeft = leftAt(samples, (s: Sample) => s.servers.includes(old));
      expect(nodeLeft, `${old} left Kubernetes`).toBeGreaterThan(-1);
      expect(nodeLeft, `${old} left Kubernetes before nova destroyed its server`).toBeLessThan(serverLeft);
      // Drained (PDBs respected, its local volumes released), then deleted from Kubernetes by Ansible.
      expect(result.output).toMatch(new RegExp(`TASK \\[k3s_drain : Drain the node\\][^]*?TASK \\[k3s_retire : Delete from Kubernetes ${old}\\]\\s+[^]*?changed: \\[`));
    }
    return { result, before, after, gone, samples };
  };

  it('scaling 3 → 2 agents drains the third agent and deletes its node before its server is destroyed', async () => {
    rolled((m) => (m.cluster.agents.count = 2));
    const { result, gone, samples } = await watchedDeploy();
    expect(gone).toEqual([expect.stringMatching(new RegExp(`^${prefix}-agent-2-[0-9a-f]{8}$`))]);
    expect(replacedServers(result.output)).toEqual([]);
    expect(fewestReadyAgents(samples, prefix)).toBeGreaterThanOrEqual(2);
    expect(Object.keys(await readyNodes())).toHaveLength(3);
  }, 2 * step);

  /** Deploys until nothing is left to roll; every deploy must move exactly one node and keep N−1 agents Ready. */
  const roll = async (what: string, patch: (m: Record<string, any>) => void, expectedSlots: string[]) => {
    rolled(patch);
    const moved: string[] = [];
    for (const slot of expectedSlots) {
      const { result, before, after, gone, samples } = await watchedDeploy();
      expect(replacedServers(result.output), `${what}: deploy ${moved.length + 1} replaces one server`).toHaveLength(1);
      expect(gone, `${what}: deploy ${moved.length + 1}`).toHaveLength(1);
      const old = before.find((b) => b.name === gone[0])!;
      const successor = after.find((a) => a.metadata['wolke-slot'] === old.metadata['wolke-slot'])!;
      expect(old.metadata['wolke-slot']).toBe(`${prefix}-${slot}`);
      expect(successor.status).toBe('ACTIVE');
      expect(after).toHaveLength(before.length);
      // Never fewer than N−1 agents Ready, at any sample of the deploy.
      expect(fewestReadyAgents(samples, prefix)).toBeGreaterThanOrEqual(1);
      const nodes = await readyNodes();
      expect(nodes[successor.name]).toBe(true);
      expect(nodes).not.toHaveProperty(old.name);
      moved.push(slot);
    }
    const done = await diff();
    expectOk(done);
    expect(done.output, `${what}: the roll is complete`).toContain('No changes.');
    return moved;
  };

  it('a k3s version change rolls one node per deploy, the server first: it joins the running cluster, which keeps its identity', async () => {
    const oldServer = (await servers()).find((s) => s.metadata['wolke-role'] === 'server')!;
    const oldAddress = Object.values(oldServer.addresses)
      .flat()
      .find((a) => a['OS-EXT-IPS:type'] === 'fixed')!.addr;
    await roll('k3s', (m) => (m.cluster.k3sVersion = 'v1.36.5+k3s1'), ['server-0', 'agent-0', 'agent-1']);
    const now = await servers();
    expect(now.map((s) => s.metadata['wolke-k3s-version'])).toEqual(Array(3).fill('v1.36.5+k3s1'));
    // The new server joined through the old one, with the same token; the API endpoint stayed at the same address.
    const config = parse(await onHost(identity.master, 'cat /etc/rancher/k3s/config.yaml'));
    expect(config['node-name']).toBe(now.find((s) => s.metadata['wolke-role'] === 'server')!.name);
    expect(config).not.toHaveProperty('cluster-init');
    expect(config.server).toBe(`https://${oldAddress}:6443`);
    expect(config.token).toBe(identity.token);
    const { stdout } = await run('terraform', ['output', '-json'], { cwd: join(repoRoot, 'cdktf.out/stacks', name), env });
    expect(JSON.parse(stdout).kubernetes_api_url.value).toBe(`https://${identity.master}:6443`);
  }, 8 * step);

  it('an image refreshed in the cloud under the same name changes nothing: the nodes stay on the image id they run', async () => {
    const image = await admin.request<{ id: string }>('image', '/v2/images', {
      method: 'POST',
      body: { name: 'debian-12-genericcloud-amd64', disk_format: 'raw', container_format: 'bare', visibility: 'public' },
    });
    await admin.request('image', `/v2/images/${image.id}/file`, { method: 'PUT', body: Buffer.alloc(1 << 20) });
    const shown = await diff();
    expectOk(shown);
    expect(shown.output).toContain('No changes.');
    expect((await servers()).map((s) => s.metadata['wolke-image-id'])).not.toContain(image.id);
  }, step);

  it('an image change rolls one node per deploy', async () => {
    const image = await admin.request<{ id: string }>('image', '/v2/images', {
      method: 'POST',
      body: { name: 'debian-13-genericcloud-amd64', disk_format: 'raw', container_format: 'bare', visibility: 'public' },
    });
    await admin.request('image', `/v2/images/${image.id}/file`, { method: 'PUT', body: Buffer.alloc(1 << 20) });
    await roll('image', (m) => {
      m.cluster.k3sVersion = 'v1.36.5+k3s1';
      m.openstack.image = 'debian-13-genericcloud-amd64';
    }, ['server-0', 'agent-0', 'agent-1']);
    expect((await servers()).map((s) => s.metadata['wolke-image-id'])).toEqual(Array(3).fill(image.id));
  }, 8 * step);

  it('a flavor change of the server rolls the server only', async () => {
    await roll('flavor', (m) => {
      m.cluster.k3sVersion = 'v1.36.5+k3s1';
      m.openstack.image = 'debian-13-genericcloud-amd64';
      m.cluster.servers.flavor = 'm1.large';
    }, ['server-0']);
    const server = (await servers()).filter((s) => s.metadata['wolke-role'] === 'server');
    expect(server.map((s) => JSON.parse(s.metadata['wolke-spec'])[2])).toEqual(['m1.large']);
    // Each address answers with the host key the stack gave the node now behind it (onHost checks strictly).
    const { floatingips } = await user.get<{ floatingips: { floating_ip_address: string; description: string }[] }>('network', '/floatingips');
    const ours = floatingips.filter((f) => f.description.startsWith(`${prefix} `));
    expect(ours).toHaveLength(3);
    for (const f of ours) expect(await onHost(f.floating_ip_address, 'echo reachable')).toBe('reachable\n');
  }, 6 * step);

  it("the plan gate refuses a forced roll's plan that replaces every node, as the README's CI step runs it", async () => {
    const model = (m: Record<string, any>) => {
      m.cluster.k3sVersion = 'v1.36.5+k3s1';
      m.openstack.image = 'debian-13-genericcloud-amd64';
      m.cluster.servers.flavor = 'm1.large';
    };
    rolled((m) => {
      model(m);
      m.cluster.k3sVersion = 'v1.36.6+k3s1';
    });
    expectOk(await cdktf(['synth'], { cwd: repoRoot, env, timeoutMs: step }));
    const stackDir = join(repoRoot, 'cdktf.out/stacks', name);
    const plan = (extra: NodeJS.ProcessEnv) =>
      run('terraform', ['plan', '-input=false', '-out=wolke.tfplan'], { cwd: stackDir, env: { ...env, ...extra }, maxBuffer: 64 << 20 });
    const gate = () =>
      run('npm', ['run', 'plan-gate', '--', 'wolke.tfplan'], { cwd: stackDir, env }).then(
        (r) => ({ code: 0, output: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
      );
    // By default the plan moves one node, which the gate lets through.
    await plan({});
    const oneStep = await gate();
    expect(oneStep.code, oneStep.output).toBe(0);
    // Forced, every node at once: the gate refuses it.
    await plan({ WOLKE_ROLL_SURGE: 'all' });
    const forced = await gate();
    expect(forced.code, forced.output).toBe(1);
    expect(forced.output).toContain('plan replaces or destroys 1 server(s) and 2 agent(s)');
    expect(forced.output).toMatch(/refused: the plan replaces or destroys 3 nodes at once \(at most 1\)/);
    // Back to the deployed model for destroy.
    rolled(model);
  }, step);

  it('destroy leaves nothing of the environment, as the API reports', async () => {
    const result = await cdktf(['destroy', '--auto-approve'], { cwd: repoRoot, env, timeoutMs: step });
    expectOk(result);
    expect(await servers()).toEqual([]);
    const net = async (path: string, key: string) => ((await user.get<Record<string, { name?: string; description?: string }[]>>('network', path))[key] ?? []);
    const named = (items: { name?: string; description?: string }[]) => items.filter((i) => i.name?.startsWith(prefix) || i.description?.startsWith(`${prefix} `));
    expect(named(await net('/networks', 'networks'))).toEqual([]);
    expect(named(await net('/subnets', 'subnets'))).toEqual([]);
    expect(named(await net('/routers', 'routers'))).toEqual([]);
    expect(named(await net('/ports', 'ports'))).toEqual([]);
    expect(named(await net('/floatingips', 'floatingips'))).toEqual([]);
    expect(named(await net('/security-groups', 'security_groups'))).toEqual([]);
    const { keypairs } = await user.get<{ keypairs: { keypair: { name: string } }[] }>('compute', '/os-keypairs');
    expect(keypairs.filter((k) => k.keypair.name === prefix)).toEqual([]);
    const { server_groups: groups } = await user.get<{ server_groups: { name: string }[] }>('compute', '/os-server-groups');
    expect(groups.filter((g) => g.name.startsWith(prefix))).toEqual([]);
    if (checkout) rmSync(checkout, { recursive: true, force: true });
  }, step);
});
