import { describe, expect, it } from 'vitest';
import { environment, haEnvironment } from '../support/environments';
import { synthStack } from '../support/synth';

const ruleKey = (r: any, groups: Record<string, string>) => {
  const name = (ref: string) => groups[ref.match(/openstack_networking_secgroup_v2\.([^.]+)\.id/)![1]];
  const from = r.remote_group_id ? name(r.remote_group_id) : r.remote_ip_prefix;
  return `${from}->${name(r.security_group_id)} ${r.port_range_min}-${r.port_range_max}/${r.protocol}`;
};

function rules(env = environment()) {
  const stack = synthStack(env);
  const groups = Object.fromEntries(
    Object.entries(stack.resources('openstack_networking_secgroup_v2')).map(([id, g]: [string, any]) => [id, g.name.split('-').pop()]),
  );
  return Object.values(stack.resources('openstack_networking_secgroup_rule_v2')).map((r) => ruleKey(r, groups));
}

describe('ClusterStack security groups', () => {
  it('1 server + 2 agents: the k3s port matrix with remote-group rules and admin CIDRs', () => {
    expect(rules().sort()).toEqual(
      [
        '192.0.2.0/24->servers 22-22/tcp',
        '192.0.2.0/24->agents 22-22/tcp',
        '192.0.2.0/24->servers 6443-6443/tcp',
        'agents->servers 6443-6443/tcp',
        'servers->servers 10250-10250/tcp',
        'servers->agents 10250-10250/tcp',
        'agents->servers 10250-10250/tcp',
        'agents->agents 10250-10250/tcp',
        'servers->servers 8472-8472/udp',
        'servers->agents 8472-8472/udp',
        'agents->servers 8472-8472/udp',
        'agents->agents 8472-8472/udp',
        '0.0.0.0/0->agents 80-80/tcp',
        '0.0.0.0/0->agents 443-443/tcp',
      ].sort(),
    );
  });

  it('3 servers + 5 agents with WireGuard: etcd between servers, WireGuard instead of VXLAN', () => {
    const r = rules(haEnvironment());
    expect(r).toContain('servers->servers 2379-2380/tcp');
    expect(r).toContain('servers->servers 6443-6443/tcp');
    expect(r.filter((x) => x.endsWith('51820-51821/udp')).sort()).toEqual(
      ['agents->agents', 'agents->servers', 'servers->agents', 'servers->servers'].map((p) => `${p} 51820-51821/udp`),
    );
    expect(r.some((x) => x.includes('8472'))).toBe(false);
  });

  it('never opens SSH or the API to the world without the opt-in', () => {
    const world = rules().filter((x) => x.startsWith('0.0.0.0/0') || x.startsWith('::/0'));
    expect(world.some((x) => / (22|6443)-/.test(x))).toBe(false);
  });

  it('opens SSH to the world only with allowWorldAccess', () => {
    const env = environment((raw) => {
      raw.openstack.adminCidrs = ['0.0.0.0/0'];
      raw.openstack.allowWorldAccess = true;
    });
    expect(rules(env)).toContain('0.0.0.0/0->servers 22-22/tcp');
  });
});

describe('ClusterStack nodes', () => {
  it('places every node of a role in its anti-affinity server group', () => {
    const stack = synthStack(haEnvironment());
    const groups = stack.resources('openstack_compute_servergroup_v2');
    expect(Object.values(groups).map((g: any) => g.policies)).toEqual([['anti-affinity'], ['anti-affinity']]);
    const servers = Object.values(stack.resources('openstack_compute_instance_v2')) as any[];
    expect(servers).toHaveLength(8);
    for (const s of servers) expect(s.scheduler_hints[0].group).toMatch(/^\$\{openstack_compute_servergroup_v2\.\w+\.id\}$/);
  });

  it('replaces servers on a k3s or image version change: new name and user_data, created before destroyed', () => {
    const before = Object.values(synthStack(environment()).resources('openstack_compute_instance_v2')) as any[];
    const k3s = Object.values(
      synthStack(environment((raw) => (raw.cluster.k3sVersion = 'v1.32.1+k3s1'))).resources('openstack_compute_instance_v2'),
    ) as any[];
    const image = Object.values(
      synthStack(environment((raw) => (raw.openstack.image = 'debian-13'))).resources('openstack_compute_instance_v2'),
    ) as any[];
    before.forEach((s, i) => {
      expect(s.lifecycle.create_before_destroy).toBe(true);
      expect(k3s[i].user_data).not.toBe(s.user_data);
      expect(k3s[i].user_data).toContain('v1.32.1+k3s1');
      expect(k3s[i].name).not.toBe(s.name);
      expect(image[i].user_data).not.toBe(s.user_data);
      expect(image[i].user_data).toContain('debian-13');
    });
  });

  it('keeps floating IPs independent of servers and re-associates them to the replacing port', () => {
    const stack = synthStack(environment());
    const ips = Object.values(stack.resources('openstack_networking_floatingip_v2')) as any[];
    expect(ips).toHaveLength(3);
    for (const ip of ips) {
      expect(JSON.stringify(ip)).not.toMatch(/compute_instance|networking_port/);
      expect(ip.pool).toBe('public');
    }
    const associations = Object.values(stack.resources('openstack_networking_floatingip_associate_v2')) as any[];
    expect(associations).toHaveLength(3);
    for (const a of associations) expect(a.port_id).toMatch(/openstack_networking_port_v2/);
    const ports = Object.values(stack.resources('openstack_networking_port_v2')) as any[];
    for (const p of ports) {
      expect(p.lifecycle.create_before_destroy).toBe(true);
      expect(p.lifecycle.replace_triggered_by).toEqual([expect.stringMatching(/^terraform_data\.\w+_version-\d+_\w+$/)]);
    }
  });

  it('boots from volumes and uses an existing network when asked', () => {
    const stack = synthStack(haEnvironment());
    const server = Object.values(stack.resources('openstack_compute_instance_v2'))[0] as any;
    expect(server.block_device[0]).toMatchObject({ source_type: 'image', destination_type: 'volume', volume_size: 40 });
    expect(stack.resources('openstack_networking_network_v2')).toEqual({});
    expect(Object.values(stack.json.data.openstack_networking_network_v2).map((n: any) => n.name)).toContain('shared-net');
    expect(stack.json.terraform.backend.s3).toMatchObject({ bucket: 'tfstate', key: 'wolke/ha.tfstate', use_path_style: true });
  });

  it('spreads the nodes of each role over the availability zones round robin', () => {
    const nodes = Object.values(synthStack(haEnvironment()).resources('openstack_compute_instance_v2')) as any[];
    const zones = (role: string) => nodes.filter((n) => n.metadata['wolke-role'] === role).map((n) => n.availability_zone);
    expect(zones('server')).toEqual(['az1', 'az2', 'az3']);
    expect(zones('agent')).toEqual(['az1', 'az2', 'az3', 'az1', 'az2']);
  });
});

describe('ClusterStack inventory and provisioning', () => {
  it('writes the inventory with every node and the versions as vars', () => {
    const stack = synthStack(environment());
    const [file] = Object.values(stack.resources('local_file')) as any[];
    expect(file.filename).toBe('${path.module}/../../../ansible/inventory/example.yml');
    expect(file.content).toMatch(/server:\n\s+hosts:\n\s+wolke-example-server-0-[0-9a-f]{8}:/);
    expect(file.content.match(/ansible_host: \$\{openstack_networking_floatingip_v2\./g)).toHaveLength(3);
    expect(file.content).toContain('k3s_version: v1.31.4+k3s1');
  });

  it('runs ansible-playbook when a server id or a version changes', () => {
    const stack = synthStack(environment());
    const run = Object.entries(stack.resources('terraform_data')).find(([id]) => id.startsWith('provision'))![1] as any;
    expect(run.triggers_replace.servers).toEqual([expect.stringMatching(/^\$\{openstack_compute_instance_v2\.servers_server-0_\w+\.id\}$/)]);
    expect(run.triggers_replace.agents).toHaveLength(2);
    expect(run.triggers_replace.k3s_version).toBe('v1.31.4+k3s1');
    expect(run.triggers_replace.app_versions).toContain('api=0.1.0');
    expect(run.provisioner[0]['local-exec'].command).toBe("ansible-playbook -i 'ansible/inventory/example.yml' ansible/site.yml");
    // Ansible reaches the nodes through their floating IPs: it starts only once every one is associated.
    expect(run.depends_on[0]).toMatch(/^local_file\./);
    expect(run.depends_on.slice(1)).toHaveLength(3);
    for (const dep of run.depends_on.slice(1)) expect(dep).toMatch(/^openstack_networking_floatingip_associate_v2\./);
  });

  it('re-runs the deploy when the manifests change, and only then', () => {
    const manifests = (env: ReturnType<typeof environment>) =>
      (Object.entries(synthStack(env).resources('terraform_data')).find(([id]) => id.startsWith('provision'))![1] as any).triggers_replace.manifests;
    const base = manifests(environment());
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(manifests(environment())).toBe(base);
    expect(manifests(environment((raw) => (raw.apps.web.replicas = 3)))).not.toBe(base);
  });

  it('associates a floating IP only after the router interface and the server exist', () => {
    const stack = synthStack(environment());
    const associations = Object.values(stack.resources('openstack_networking_floatingip_associate_v2')) as any[];
    expect(associations).toHaveLength(3);
    for (const a of associations) {
      expect(a.depends_on).toContainEqual(expect.stringMatching(/^openstack_networking_router_interface_v2\./));
      expect(a.depends_on).toContainEqual(expect.stringMatching(/^openstack_compute_instance_v2\./));
    }
  });

  it('keys CIDR rules by their CIDR, so removing one CIDR leaves the others\' rules alone', () => {
    const ids = (cidrs: string[]) =>
      Object.keys(synthStack(environment((raw) => (raw.openstack.adminCidrs = cidrs))).resources('openstack_networking_secgroup_rule_v2'));
    const three = ids(['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24']);
    const two = ids(['192.0.2.0/24', '203.0.113.0/24']);
    expect(three.filter((id) => !two.includes(id)).every((id) => id.includes('198-51-100-0_24'))).toBe(true);
    expect(two.every((id) => three.includes(id))).toBe(true);
  });

  it('gives the outputs a person wants after deploy', () => {
    const outputs = synthStack(environment()).json.output;
    expect(Object.keys(outputs).sort()).toEqual(['inventory_path', 'kubeconfig_path', 'kubernetes_api_url', 'master_floating_ip', 'web_url']);
    expect(outputs.kubernetes_api_url.value).toMatch(/^https:\/\/\$\{openstack_networking_floatingip_v2\.servers_address-0_\w+\.address\}:6443$/);
  });

  it('synthesizes no credentials: the provider block is empty', () => {
    const stack = synthStack(environment());
    // Only the region, which the preflight answers (OS_REGION_NAME): the credentials stay in the OS_* environment.
    expect(stack.json.provider.openstack).toEqual([{ region: expect.stringMatching(/^\$\{trimspace\(data\.local_command\.preflight_check_\w+\.stdout\)\}$/) }]);
    expect(JSON.stringify(stack.json)).not.toMatch(/password|secret|OS_PASSWORD|application_credential/i);
  });
});
