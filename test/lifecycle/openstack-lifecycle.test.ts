// The README's deploy section, run as written against the real OpenStack test bed: preflight refusals, deploy, diff,
// a no-op re-deploy, a second checkout on the remote state, a concurrent deploy refused by the lock, scaling agents,
// removing an admin CIDR and destroy. Every assertion reads what the OpenStack API or the SSH hosts report.
import { execFile } from 'node:child_process';
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

const run = promisify(execFile);
const repoRoot = resolve(__dirname, '../..');
const step = 15 * 60_000;

interface Server {
  id: string;
  name: string;
  status: string;
  metadata: Record<string, string>;
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
    const hosts = inject('sshHosts');
    const binary = join(work, 'k3s');
    const images = join(work, 'k3s-airgap-images-amd64.tar.zst');
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    model.name = name;
    model.openstack.keypair = { name: prefix, publicKey: readFileSync(`${hosts.keyFile}.pub`, 'utf8').trim() };
    model.openstack.sshUser = 'root';
    model.openstack.adminCidrs = adminCidrs;
    // No k3s download here: the install role takes the airgap path with files checked by sha256.
    model.cluster.airgap = { binary: { path: binary, sha256: sha(binary) }, images: { path: images, sha256: sha(images) } };
    model.state = { endpoint: inject('stateStore').endpoint, bucket, key: `${name}.tfstate`, pathStyle: true };
    patch(model);
    writeFileSync(envFile, stringify(model));
  };

  const deploy = (cwd = repoRoot) => cdktf(['deploy', '--auto-approve'], { cwd, env, timeoutMs: step });
  const diff = (cwd = repoRoot) => cdktf(['diff'], { cwd, env, timeoutMs: step });
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
  const onHost = async (address: string, command: string) => {
    const hosts = inject('sshHosts');
    const { stdout } = await run('ssh', ['-i', hosts.keyFile, '-o', `UserKnownHostsFile=${hosts.knownHostsFile}`, '-o', 'BatchMode=yes', `root@${address}`, command]);
    return stdout;
  };

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
      // The user's SSH setup: the keypair's private key, and the known_hosts of this test bed.
      ANSIBLE_PRIVATE_KEY_FILE: hosts.keyFile,
      ANSIBLE_SSH_COMMON_ARGS: `-o UserKnownHostsFile=${hosts.knownHostsFile}`,
      // No k3s runs on the SSH hosts: only the steps that need a running k3s are skipped.
      ANSIBLE_SKIP_TAGS: 'k3s_runtime',
      ANSIBLE_NOCOLOR: '1',
    };
    user = await OpenStackClient.connect(env);
    admin = await OpenStackClient.connect({ ...inject('adminOpenrc') });
  }, 120_000);

  afterAll(async () => {
    // Whatever a failed step left behind: destroy through Terraform, then remove this run's files.
    if (user && (await servers()).length > 0) await cdktf(['destroy', '--auto-approve'], { cwd: repoRoot, env, timeoutMs: step });
    for (const path of [`cdktf.out/stacks/${name}`, `dist/${name}`, `ansible/inventory/${name}.yml`]) rmSync(join(repoRoot, path), { recursive: true, force: true });
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
    for (const entry of ['.gen', 'ansible', 'charts', 'config', 'stacks', 'apps', 'scripts', 'main.ts', 'cdktf.json', 'package.json', 'tsconfig.json']) {
      cpSync(join(repoRoot, entry), join(checkout, entry), { recursive: true, filter: (src) => !src.includes('/ansible/inventory/') });
    }
    mkdirSync(join(checkout, 'ansible/inventory'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(checkout, 'node_modules'));
    expect(existsSync(join(checkout, 'cdktf.out'))).toBe(false);
    const shown = await diff(checkout);
    expectOk(shown);
    // The state is shared; only this machine's copy of the inventory (a local file Terraform writes) is missing.
    expect(planned(shown.output, 'created')).toEqual([expect.stringMatching(/^local_file\.inventory_file_/)]);
    expect(shown.output).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
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
    // If the other checkout applied the 3rd agent, this checkout rewrites its local inventory; nothing else is created.
    const created = planned(result.output, 'created');
    expect(created.filter((a) => !/^local_file\.inventory_file_/.test(a))).toEqual([]);
    expect(planned(result.output, 'destroyed')).toEqual(Array(3).fill(expect.stringMatching(/^openstack_networking_secgroup_rule_v2\.security_admins-to-\S+-from-198-51-100-0_24_/)));
    expect(planned(result.output, 'replaced')).toEqual([]);
    expect(result.output).toContain(`Apply complete! Resources: ${created.length} added, 0 changed, 3 destroyed.`);
    const after = [...(await rulesOf('servers')), ...(await rulesOf('agents'))];
    const gone = before.filter((r) => !after.some((a) => a.id === r.id));
    expect(gone.map((r) => r.remote_ip_prefix)).toEqual([adminCidrs[1], adminCidrs[1], adminCidrs[1]]);
    expect(after.every((r) => before.some((b) => b.id === r.id))).toBe(true);
  }, step);

  it("the plan gate refuses a saved plan that replaces every node, as the README's CI step runs it", async () => {
    writeModel((m) => {
      m.cluster.agents.count = 3;
      m.openstack.adminCidrs = [adminCidrs[0], adminCidrs[2]];
      m.cluster.k3sVersion = 'v1.31.5+k3s1';
    });
    expectOk(await cdktf(['synth'], { cwd: repoRoot, env, timeoutMs: step }));
    const stackDir = join(repoRoot, 'cdktf.out/stacks', name);
    await run('terraform', ['plan', '-input=false', '-out=wolke.tfplan'], { cwd: stackDir, env, maxBuffer: 64 << 20 });
    const gate = await run('npm', ['run', 'plan-gate', '--', 'wolke.tfplan'], { cwd: stackDir, env }).then(
      () => ({ code: 0, output: '' }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: e.stdout + e.stderr }),
    );
    expect(gate.code, gate.output).toBe(1);
    expect(gate.output).toContain('plan replaces or destroys 1 server(s) and 3 agent(s)');
    expect(gate.output).toMatch(/refused: the plan replaces or destroys 4 nodes at once \(at most 1\)/);
    // Back to the deployed model for destroy.
    writeModel((m) => {
      m.cluster.agents.count = 3;
      m.openstack.adminCidrs = [adminCidrs[0], adminCidrs[2]];
    });
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
