// Stand-in for what runs inside a new server, which nova's fake driver never boots: cloud-init installing the SSH host
// key from the server's user data, and k3s registering the node in Kubernetes. When a floating IP is associated with
// an ACTIVE server, the SSH test host at that address starts afresh with the server's host key (a new machine at that
// address), and a kwok node named after the server is registered once, shaped like its role and flavor.
import { parse } from 'yaml';
import type { OpenStackClient } from '../scripts/openstack/client';
import { parseCanonicalSpec } from '../stacks/node-identity';
import type { KubernetesTestbed } from './kubernetes';
import type { SshHosts } from './ssh-hosts';

export interface BootStandInOptions {
  /** The cloud admin (user data is an admin field). */
  admin: OpenStackClient;
  hosts: SshHosts;
  kubernetes: KubernetesTestbed;
  intervalMs?: number;
}

export interface BootStandIn {
  /** Servers booted so far, in order: name and floating IP. */
  booted: { name: string; address: string }[];
  stop(): Promise<void>;
}

interface Server {
  id: string;
  name: string;
  status: string;
  metadata: Record<string, string>;
  'OS-EXT-SRV-ATTR:user_data'?: string | null;
}

/** The ed25519 host key cloud-init would install from this user data; undefined when it names none. */
export function hostKeyOf(userData: string | null | undefined): string | undefined {
  if (!userData) return undefined;
  const config = parse(Buffer.from(userData, 'base64').toString('utf8')) as { ssh_keys?: { ed25519_private?: string } } | null;
  return config?.ssh_keys?.ed25519_private;
}

export function startBootStandIn(options: BootStandInOptions): BootStandIn {
  const { admin, hosts, kubernetes } = options;
  const addresses = new Set(hosts.hosts.map((h) => h.address));
  const bootedAt = new Map<string, string>();
  const registered = new Set<string>();
  const booted: BootStandIn['booted'] = [];
  let stopped = false;
  let lastError = '';

  const tick = async () => {
    const [{ servers }, { floatingips }, { ports }] = await Promise.all([
      // Microversion 2.3 adds the user data to the admin's server view.
      admin.request<{ servers: Server[] }>('compute', '/servers/detail?all_tenants=1', { headers: { 'X-OpenStack-Nova-API-Version': '2.3' } }),
      admin.get<{ floatingips: { floating_ip_address: string; port_id: string | null }[] }>('network', '/floatingips'),
      admin.get<{ ports: { id: string; device_id: string }[] }>('network', '/ports?fields=id&fields=device_id'),
    ]);
    for (const fip of floatingips) {
      const address = fip.floating_ip_address;
      if (!fip.port_id || !addresses.has(address)) continue;
      const deviceId = ports.find((p) => p.id === fip.port_id)?.device_id;
      const server = servers.find((s) => s.id === deviceId && s.status === 'ACTIVE');
      if (!server || bootedAt.get(address) === server.id) continue;
      const hostKey = hostKeyOf(server['OS-EXT-SRV-ATTR:user_data']);
      if (!hostKey) continue;
      await hosts.reboot(address, hostKey);
      bootedAt.set(address, server.id);
      booted.push({ name: server.name, address });
      const spec = parseCanonicalSpec(server.metadata['wolke-spec'] ?? '');
      const role = server.metadata['wolke-role'];
      if (spec && (role === 'server' || role === 'agent') && !registered.has(server.name)) {
        // k3s registers the node once; a node Ansible deleted never comes back.
        registered.add(server.name);
        await kubernetes.registerNode({ name: server.name, role, flavor: spec.flavor }, spec.k3sVersion);
      }
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await tick();
      } catch (error) {
        const message = (error as Error).message;
        if (message !== lastError) console.error(`boot stand-in: ${message}`);
        lastError = message;
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 1_000));
    }
  })();

  return {
    booted,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}
