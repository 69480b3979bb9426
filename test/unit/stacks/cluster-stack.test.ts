import { describe, expect, it } from 'vitest';
import { environment, haEnvironment } from '../../support/environments';
import { synthStack } from '../../support/synth';
import { recordedNetworks } from '../../../scripts/preflight/cluster-networks';

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

const preflightSpec = (stack: ReturnType<typeof synthStack>) =>
  JSON.parse((Object.values(stack.json.data.local_command).find((c: any) => c.arguments.includes('scripts/preflight.ts')) as any).stdin);
const planned = (slot: string, key: string) => `jsondecode(data.local_command.preflight_check_AE40D91B.stdout).nodes["${slot}"].${key}`;

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

  it('names no pod or Service network: flannel carries pod traffic between node addresses, so moving them changes no rule', () => {
    const moved = environment((raw) => {
      raw.cluster.podCidr = '172.16.0.0/16';
      raw.cluster.serviceCidr = '172.17.0.0/16';
    });
    expect(rules(moved).sort()).toEqual(rules().sort());
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

  it('hands the preflight every slot with the spec the model wants; a k3s or image change changes only the targets', () => {
    const before = preflightSpec(synthStack(environment()));
    expect(before.nodes.map((n: any) => n.slot)).toEqual(['wolke-example-server-0', 'wolke-example-agent-0', 'wolke-example-agent-1']);
    expect(before.nodes[1].target).toEqual({
      k3sVersion: 'v1.36.4+k3s1',
      image: 'debian-12-genericcloud-amd64',
      flavor: 'm1.xlarge',
      availabilityZone: 'nova',
      keyPair: 'wolke-example',
      bootVolumeSize: null,
    });
    expect(before.surge).toBe(1);
    const k3s = preflightSpec(synthStack(environment((raw) => (raw.cluster.k3sVersion = 'v1.36.5+k3s1'))));
    const image = preflightSpec(synthStack(environment((raw) => (raw.openstack.image = 'debian-13'))));
    expect(k3s.nodes.map((n: any) => n.target.k3sVersion)).toEqual(Array(3).fill('v1.36.5+k3s1'));
    expect(image.nodes.map((n: any) => n.target.image)).toEqual(Array(3).fill('debian-13'));
    expect({ ...k3s, nodes: [] }).toEqual({ ...before, nodes: [] });
  });

  it("records the model's pod and Service networks on every server and hands them to the preflight", () => {
    const env = environment((raw) => {
      raw.cluster.podCidr = '10.52.0.0/16';
      raw.cluster.serviceCidr = '10.53.0.0/20';
    });
    const stack = synthStack(env);
    const networks = { podCidr: '10.52.0.0/16', serviceCidr: '10.53.0.0/20' };
    expect(preflightSpec(stack).clusterNetworks).toEqual(networks);
    // A new network's subnet is the model's, checked there; an existing network's subnets only the preflight can read.
    expect(preflightSpec(stack)).not.toHaveProperty('existingNetwork');
    expect(preflightSpec(synthStack(haEnvironment())).existingNetwork).toEqual({ name: 'shared-net' });
    const servers = Object.values(stack.resources('openstack_compute_instance_v2')) as any[];
    expect(servers).toHaveLength(3);
    // What the preflight reads back from the cloud: the same networks.
    for (const s of servers) expect(recordedNetworks(s.metadata['wolke-networks'])).toEqual(networks);
  });

  it("takes each server's name, image id, flavor, zone and keypair from this apply's roll step; created before destroyed", () => {
    const stack = synthStack(environment());
    const servers = stack.resources('openstack_compute_instance_v2') as Record<string, any>;
    const agent = Object.entries(servers).find(([id]) => id.startsWith('agents_server-1'))![1];
    const slot = 'wolke-example-agent-1';
    expect(agent.name).toBe(`\${${planned(slot, 'name')}}`);
    expect(agent.image_id).toBe(`\${${planned(slot, 'imageId')}}`);
    expect(agent.flavor_name).toBe(`\${${planned(slot, 'flavor')}}`);
    expect(agent.availability_zone).toBe(`\${${planned(slot, 'availabilityZone')}}`);
    expect(agent.key_pair).toBe(`\${${planned(slot, 'keyPair')}}`);
    expect(agent.metadata['wolke-slot']).toBe(slot);
    expect(agent.metadata['wolke-spec']).toContain(planned(slot, 'bootVolumeSize'));
    expect(agent.lifecycle.create_before_destroy).toBe(true);
    // The user data carries the node's host key, so it is sensitive in every plan.
    expect(agent.user_data).toMatch(/^\$\{sensitive\(join\("", \["#cloud-config\\n", yamlencode\(/);
    expect(agent.user_data).toContain('ed25519_private');
    expect(stack.resources('data_openstack_images_image_v2') ?? {}).toEqual({});
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
      expect(p.lifecycle.replace_triggered_by).toEqual([expect.stringMatching(/^terraform_data\.\w+_identity-\d+_\w+$/)]);
    }
    // Whatever replaces a server replaces its port: its name covers the whole spec, the group id a new server group.
    const identities = Object.entries(stack.resources('terraform_data')).filter(([id]) => /_identity-/.test(id)).map(([, v]) => v) as any[];
    expect(identities).toHaveLength(3);
    for (const i of identities) expect(Object.keys(i.input).sort()).toEqual(['group', 'name']);
  });

  it('boots from volumes and uses an existing network when asked', () => {
    const stack = synthStack(haEnvironment());
    const server = Object.values(stack.resources('openstack_compute_instance_v2'))[0] as any;
    expect(server.block_device[0]).toMatchObject({ source_type: 'image', destination_type: 'volume', volume_size: expect.stringContaining('bootVolumeSize') });
    expect(preflightSpec(stack).nodes[0].target.bootVolumeSize).toBe(40);
    expect(stack.resources('openstack_networking_network_v2')).toEqual({});
    expect(Object.values(stack.json.data.openstack_networking_network_v2).map((n: any) => n.name)).toContain('shared-net');
    expect(stack.json.terraform.backend.s3).toMatchObject({ bucket: 'tfstate', key: 'wolke/ha.tfstate', use_path_style: true });
  });

  it('spreads the nodes of each role over the availability zones round robin', () => {
    const nodes = preflightSpec(synthStack(haEnvironment())).nodes as any[];
    const zones = (role: string) => nodes.filter((n) => n.role === role).map((n) => n.target.availabilityZone);
    expect(zones('server')).toEqual(['az1', 'az2', 'az3']);
    expect(zones('agent')).toEqual(['az1', 'az2', 'az3', 'az1', 'az2']);
  });
});

describe('ClusterStack inventory and provisioning', () => {
  it('writes the inventory with every node and the versions as vars', () => {
    const stack = synthStack(environment());
    const file = Object.values(stack.resources('local_file')).find((f: any) => f.filename.endsWith('.yml')) as any;
    expect(file.filename).toBe('${path.module}/../../../ansible/inventory/example.yml');
    expect(file.content).toContain(`server:\n      hosts:\n        \${${planned('wolke-example-server-0', 'name')}}:`);
    expect(file.content.match(/ansible_host: \$\{openstack_networking_floatingip_v2\./g)).toHaveLength(3);
    expect(file.content).toContain('k3s_version: v1.36.4+k3s1');
    // The join address changes with the cluster's servers: it goes to Ansible's environment, not into the file.
    expect(file.content).not.toContain('k3s_join_address');
    expect(file.content).toContain('-o StrictHostKeyChecking=yes -o UserKnownHostsFile={{ inventory_dir }}/example.known_hosts');
  });

  it('writes a known_hosts of every floating IP with the host key of the node behind it', () => {
    const stack = synthStack(environment());
    const file = Object.values(stack.resources('local_file')).find((f: any) => f.filename.endsWith('.known_hosts')) as any;
    expect(file.filename).toBe('${path.module}/../../../ansible/inventory/example.known_hosts');
    const lines = file.content.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^\$\{openstack_networking_floatingip_v2\.\S+\.address\} \$\{jsondecode\(data\.local_command\.host-keys_derive_\w+\.stdout\)\[.+\]\.publicKey\}$/);
  });

  it('runs ansible-playbook when a server id or a version changes', () => {
    const stack = synthStack(environment());
    const run = Object.entries(stack.resources('terraform_data')).find(([id]) => id.startsWith('provision'))![1] as any;
    expect(run.triggers_replace.servers).toEqual([expect.stringMatching(/^\$\{openstack_compute_instance_v2\.servers_server-0_\w+\.id\}$/)]);
    expect(run.triggers_replace.agents).toHaveLength(2);
    expect(run.triggers_replace.k3s_version).toBe('v1.36.4+k3s1');
    expect(run.triggers_replace.app_versions).toContain('api=0.1.0');
    const exec = run.provisioner[0]['local-exec'];
    expect(exec.command).toContain('ansible-playbook -i "$dir/example.yml" ansible/site.yml');
    // Its own copies of the inventory and known_hosts, from its environment: the same contents as the local files.
    const files = Object.values(stack.resources('local_file')) as any[];
    expect(exec.environment.WOLKE_INVENTORY).toBe(files.find((f) => f.filename.endsWith('.yml')).content);
    expect(exec.environment.WOLKE_KNOWN_HOSTS).toBe(files.find((f) => f.filename.endsWith('.known_hosts')).content);
    // Ansible reaches the nodes through their floating IPs: it starts only once every one is associated.
    // Not on the local files: a create-before-destroy run would make their replacement create-before-destroy too.
    expect(run.depends_on).toHaveLength(3);
    for (const dep of run.depends_on) expect(dep).toMatch(/^openstack_networking_floatingip_associate_v2\./);
    // The join tokens derive from the cluster secret in the state and reach Ansible only in its environment.
    const environment_ = run.provisioner[0]['local-exec'].environment;
    expect(environment_.WOLKE_K3S_TOKEN).toMatch(/^\$\{nonsensitive\(sha256\(join\(":", \[terraform_data\.cluster-secret_value_\w+\.output, "k3s-token"\]\)\)\)\}$/);
    expect(environment_.WOLKE_K3S_AGENT_TOKEN).toContain('"k3s-agent-token"');
    expect(environment_.WOLKE_K3S_JOIN_ADDRESS).toBe('${jsondecode(data.local_command.preflight_check_AE40D91B.stdout).joinAddress}');
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
    expect(Object.keys(outputs).sort()).toEqual(['inventory_path', 'kubeconfig_path', 'kubernetes_api_url', 'master_floating_ip', 'nodes_waiting_to_roll', 'web_url']);
    expect(outputs.kubernetes_api_url.value).toMatch(/^https:\/\/\$\{openstack_networking_floatingip_v2\.servers_address-0_\w+\.address\}:6443$/);
  });

  it('needs no null provider: the Ansible run, the cluster secret and the node identities are built-in terraform_data', () => {
    const stack = synthStack(haEnvironment());
    expect(Object.keys(stack.json.terraform.required_providers).sort()).toEqual(['local', 'openstack']);
    expect(Object.keys(stack.json.resource).filter((type) => type.startsWith('null_'))).toEqual([]);
    expect(Object.keys(stack.resources('terraform_data')).filter((id) => id.startsWith('provision'))).toHaveLength(1);
  });

  it('synthesizes no credentials: the provider block is empty', () => {
    const stack = synthStack(environment());
    // Only the region, which the preflight answers (OS_REGION_NAME): the credentials stay in the OS_* environment.
    expect(stack.json.provider.openstack).toEqual([{ region: expect.stringMatching(/^\$\{jsondecode\(data\.local_command\.preflight_check_\w+\.stdout\)\.region\}$/) }]);
    expect(JSON.stringify(stack.json)).not.toMatch(/password|application_credential|secret_key|access_key/i);
    // The one secret is made by Terraform at the first apply and lives in the state only.
    const secret = Object.entries(stack.resources('terraform_data')).find(([id]) => id.startsWith('cluster-secret'))![1] as any;
    expect(secret).toMatchObject({ input: '${sensitive(join("", [uuid(), uuid()]))}', lifecycle: { ignore_changes: ['input'] } });
  });
});
