// Preflight of a deploy, run by Terraform (a local_command data source) before it plans anything: credentials, the
// cloud contents the model names, this apply's step of the rolling replacement, quota for the deploy's peak, Ansible
// and the keypair's private key.
// Reads the stack's PreflightSpec on stdin; prints a PreflightAnswer (JSON) on success; on failure one line per
// problem, exit 1.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { OpenStackClient, OpenStackError } from './openstack/client';
import { quotaShortfalls, type QuotaNeed } from './preflight/quota';
import { planRoll, type RollStep, type RunningNode } from './preflight/roll';
import { k3sVersionSkew } from './preflight/version-skew';
import { existingSubnetOverlaps, networkChanges, recordedNetworks } from './preflight/cluster-networks';
import { parseCanonicalSpec } from '../stacks/node-identity';
import type { PreflightSpec } from '../stacks/preflight';

/** What the stack reads from the preflight. */
export interface PreflightAnswer extends RollStep {
  /** The region checked (OS_REGION_NAME, or empty for the cloud's default). */
  region: string;
}

/** A server as Nova's /servers/detail lists it (the fields the preflight reads). */
export interface Server {
  name: string;
  status: string;
  created: string;
  metadata: Record<string, string>;
  image: { id: string } | '';
  addresses: Record<string, { addr: string; 'OS-EXT-IPS:type'?: string }[]>;
}

/** How many nodes one apply may replace: WOLKE_ROLL_SURGE (a number, or "all" to replace every outdated node). */
export function rollSurge(env: NodeJS.ProcessEnv, modelSurge: number): number {
  const given = env.WOLKE_ROLL_SURGE?.trim();
  if (!given) return modelSurge;
  if (given === 'all') return Infinity;
  if (!/^[1-9]\d*$/.test(given)) throw new Error(`WOLKE_ROLL_SURGE must be a positive whole number or "all", got "${given}"`);
  return Number(given);
}

/** A server of the environment as the roll sees it; its private address is the one on the nodes' network. */
export function runningNode(server: Server, networkName: string): RunningNode | undefined {
  const slot = server.metadata['wolke-slot'];
  const role = server.metadata['wolke-role'];
  if (!slot || (role !== 'server' && role !== 'agent')) return undefined;
  const fixed = (server.addresses[networkName] ?? []).find((a) => (a['OS-EXT-IPS:type'] ?? 'fixed') === 'fixed');
  return {
    name: server.name,
    slot,
    role,
    spec: parseCanonicalSpec(server.metadata['wolke-spec'] ?? ''),
    imageId: server.metadata['wolke-image-id'] ?? (server.image ? server.image.id : ''),
    status: server.status,
    privateIp: fixed?.addr,
    created: server.created,
  };
}

interface Flavor {
  name: string;
  vcpus: number;
  ram: number;
}

/** The key material (type and base64) of an OpenSSH public key line, for comparisons. */
const keyMaterial = (line: string) => line.trim().split(/\s+/).slice(0, 2).join(' ');

function commandExists(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

/** Where the private key of `publicKey` can be found: ANSIBLE_PRIVATE_KEY_FILE, the ssh-agent or ~/.ssh; undefined if nowhere. */
function privateKeySource(publicKey: string): string | undefined {
  const wanted = keyMaterial(publicKey);
  const fromFile = (file: string) => {
    try {
      return keyMaterial(execFileSync('ssh-keygen', ['-y', '-P', '', '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) === wanted;
    } catch {
      return false;
    }
  };
  const configured = process.env.ANSIBLE_PRIVATE_KEY_FILE;
  if (configured) return fromFile(configured) ? configured : undefined;
  if (process.env.SSH_AUTH_SOCK) {
    try {
      const listed = execFileSync('ssh-add', ['-L'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      if (listed.split('\n').some((l) => keyMaterial(l) === wanted)) return 'ssh-agent';
    } catch {
      // No agent answering: fall through to the default key files.
    }
  }
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(homedir(), '.ssh', f)).find((f) => existsSync(f) && fromFile(f));
}

export async function preflight(spec: PreflightSpec, env: NodeJS.ProcessEnv = process.env): Promise<{ problems: string[]; answer?: PreflightAnswer }> {
  let client: OpenStackClient;
  try {
    client = await OpenStackClient.connect(env);
  } catch (error) {
    if (error instanceof OpenStackError) return { problems: [`${error.message}: source your project's openrc (or set the OS_* variables) and retry`] };
    throw error;
  }
  const problems: string[] = [];
  const guard = async (what: string, check: () => Promise<void>) => {
    try {
      await check();
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
    }
  };

  await guard('external network', async () => {
    const { networks } = await client.get<{ networks: { name: string }[] }>('network', `/networks?name=${encodeURIComponent(spec.externalNetwork)}&router:external=true`);
    if (networks.length === 0) problems.push(`external network "${spec.externalNetwork}" not found: set openstack.externalNetwork to one of \`openstack network list --external\``);
  });
  // The newest active image of the model's name: what new nodes boot unless running nodes pin another id.
  let newestImageId = '';
  await guard('image', async () => {
    const images = /^[0-9a-f-]{36}$/i.test(spec.image)
      ? [await client.get<{ id: string; status: string; created_at: string }>('image', `/v2/images/${spec.image}`).catch(() => ({ id: '', status: 'missing', created_at: '' }))]
      : (await client.get<{ images: { id: string; status: string; created_at: string }[] }>('image', `/v2/images?name=${encodeURIComponent(spec.image)}`)).images;
    const active = images.filter((i) => i.status === 'active').sort((a, b) => b.created_at.localeCompare(a.created_at));
    if (active.length === 0) problems.push(`image "${spec.image}" not found or not active: set openstack.image to one of \`openstack image list\``);
    newestImageId = active[0]?.id ?? '';
  });

  const existing = spec.existingNetwork;
  if (existing) {
    await guard('network', async () => {
      const { networks } = await client.get<{ networks: { id: string }[] }>('network', `/networks?name=${encodeURIComponent(existing.name)}`);
      if (networks.length === 0) {
        problems.push(`network "${existing.name}" not found: set openstack.network.existing to one of \`openstack network list\``);
        return;
      }
      const named = existing.subnet ? `&name=${encodeURIComponent(existing.subnet)}` : '';
      const { subnets } = await client.get<{ subnets: { name: string; cidr: string }[] }>('network', `/subnets?network_id=${networks[0].id}${named}`);
      problems.push(...existingSubnetOverlaps(existing.name, subnets, spec.clusterNetworks));
    });
  }

  const flavors = new Map<string, Flavor>();
  await guard('flavors', async () => {
    const { flavors: all } = await client.get<{ flavors: Flavor[] }>('compute', '/flavors/detail?is_public=None');
    for (const f of all) flavors.set(f.name, f);
    for (const name of new Set(spec.nodes.map((n) => n.target.flavor))) {
      if (!flavors.has(name)) problems.push(`flavor "${name}" not found: set cluster.servers.flavor / cluster.agents.flavor to one of \`openstack flavor list\``);
    }
  });
  await guard('availability zones', async () => {
    const { availabilityZoneInfo: zones } = await client.get<{ availabilityZoneInfo: { zoneName: string; zoneState: { available: boolean } }[] }>('compute', '/os-availability-zone');
    const available = zones.filter((z) => z.zoneState.available).map((z) => z.zoneName);
    for (const zone of spec.availabilityZones) {
      if (!available.includes(zone)) problems.push(`availability zone "${zone}" not available: set openstack.availabilityZones from ${available.join(', ') || '(none)'}`);
    }
  });

  let publicKey = spec.keypair.publicKey;
  await guard('keypair', async () => {
    const res = await client.get<{ keypairs: { keypair: { name: string; public_key: string } }[] }>('compute', '/os-keypairs');
    const existing = res.keypairs.map((k) => k.keypair).find((k) => k.name === spec.keypair.name);
    if (!publicKey && !existing) problems.push(`keypair "${spec.keypair.name}" not found: create it (openstack keypair create) or give openstack.keypair.publicKeyFile`);
    if (publicKey && existing && keyMaterial(existing.public_key) !== keyMaterial(publicKey)) {
      problems.push(`keypair "${spec.keypair.name}" exists with another public key: choose another openstack.keypair.name or delete that keypair`);
    }
    publicKey ??= existing?.public_key;
  });

  // This apply's step of the roll, from the servers that run now: nodes whose planned names do not exist yet are
  // the ones this apply creates.
  const { servers } = await client.get<{ servers: Server[] }>('compute', `/servers/detail?name=${encodeURIComponent(`^${spec.prefix}-`)}`);
  let step: RollStep = { nodes: {}, replacing: [], waiting: [], joinAddress: '' };
  const ownServers = servers.filter((s) => s.metadata['wolke-slot']);
  problems.push(...networkChanges(ownServers.map((s) => ({ name: s.name, networks: recordedNetworks(s.metadata['wolke-networks']) })), spec.clusterNetworks));
  await guard('rolling replacement', async () => {
    // The nodes' network: the stack's own, or the existing one the model names (Nova keys addresses by network name).
    const networkName = spec.existingNetwork?.name ?? `${spec.prefix}-net`;
    const running = servers.map((s) => runningNode(s, networkName)).filter((n): n is RunningNode => n !== undefined);
    const surge = rollSurge(env, spec.surge);
    const skew = spec.nodes[0] && k3sVersionSkew(running, spec.nodes[0].target.k3sVersion);
    if (skew) problems.push(skew);
    step = planRoll({ wanted: spec.nodes, running, surge });
    for (const node of Object.values(step.nodes)) node.imageId ||= newestImageId;
    await guard('server groups', async () => {
      const { server_groups: groups } = await client.get<{ server_groups: { name: string; policies?: string[]; policy?: string }[] }>('compute', '/os-server-groups');
      const changed = groups.filter((g) => g.name.startsWith(`${spec.prefix}-`) && ![...(g.policies ?? []), g.policy].includes(spec.serverGroupPolicy));
      if (changed.length > 0 && surge !== Infinity) {
        problems.push(
          `openstack.serverGroupPolicy changes ${changed.map((g) => g.name).join(', ')} to ${spec.serverGroupPolicy}: that replaces every node of the group at once; ` +
            'deploy it with WOLKE_ROLL_SURGE=all if the cluster may go down',
        );
      }
    });
  });
  const newNodes = spec.nodes.filter((n) => step.nodes[n.slot] && !servers.some((s) => s.name === step.nodes[n.slot].name)).map((n) => ({ ...n, flavor: n.target.flavor }));
  if (newNodes.length > 0 && problems.length === 0) {
    await guard('quota', async () => {
      const { limits } = await client.get<{ limits: { absolute: Record<string, number> } }>('compute', '/limits');
      const a = limits.absolute;
      const { floatingips } = await client.get<{ floatingips: { description: string }[] }>('network', `/floatingips?project_id=${client.projectId}`);
      const ownAddresses = floatingips.filter((f) => f.description.startsWith(`${spec.prefix} `)).length;
      const network = await client.get<{ quota: Record<string, { limit: number; used: number }> }>('network', `/quotas/${client.projectId}/details`);
      const sum = (pick: (f: Flavor) => number) => newNodes.reduce((total, n) => total + pick(flavors.get(n.flavor)!), 0);
      const why = `${newNodes.length} new node(s)`;
      const needs: QuotaNeed[] = [
        { name: 'instances', more: newNodes.length, why },
        { name: 'cores', more: sum((f) => f.vcpus), why },
        { name: 'ram', more: sum((f) => f.ram), why, unit: 'MiB' },
        { name: 'port', more: newNodes.length, why },
        { name: 'floatingip', more: Math.max(0, spec.nodes.length - ownAddresses), why: 'the nodes without an address yet' },
      ];
      problems.push(
        ...quotaShortfalls(needs, {
          instances: { limit: a.maxTotalInstances, used: a.totalInstancesUsed },
          cores: { limit: a.maxTotalCores, used: a.totalCoresUsed },
          ram: { limit: a.maxTotalRAMSize, used: a.totalRAMUsed },
          port: network.quota.port,
          floatingip: network.quota.floatingip,
        }),
      );
    });
    if (!commandExists('ansible-playbook')) problems.push('ansible-playbook not found: install Ansible (apt-get install ansible-core, or pipx install ansible-core)');
    if (publicKey && !privateKeySource(publicKey)) {
      problems.push(`no private key for keypair "${spec.keypair.name}": load it into your ssh-agent (ssh-add <key file>) or set ANSIBLE_PRIVATE_KEY_FILE`);
    }
  }
  return { problems, answer: problems.length === 0 ? { region: env.OS_REGION_NAME ?? '', ...step } : undefined };
}

if (require.main === module) {
  const spec = JSON.parse(readFileSync(0, 'utf8')) as PreflightSpec;
  preflight(spec)
    .then(({ problems, answer }) => {
      if (answer) {
        process.stdout.write(JSON.stringify(answer));
        return;
      }
      process.stderr.write(`preflight refused the deploy; nothing was created:\n${problems.map((p) => `  preflight: ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    })
    .catch((error: unknown) => {
      process.stderr.write(`preflight: ${(error as Error).message}\n`);
      process.exitCode = 1;
    });
}
