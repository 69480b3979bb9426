import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { applyOverrides, loadEnvironment, parseEnvironment, selectedEnvironmentName } from '../../../config/load';
import { environment, exampleInput, rejectionOf as errors } from '../../support/environments';

describe('environment validation', () => {
  it('accepts the bundled example and fills defaults', () => {
    const env = loadEnvironment('example', '');
    expect(env.name).toBe('example');
    expect(env.openstack.allowWorldAccess).toBe(false);
    expect(env.openstack.keypair.publicKey).toMatch(/^ssh-ed25519 /);
    expect(env.apps.processor.renditions.map((r) => r.size)).toEqual([320, 1280]);
    expect(env.apps.aggregator.window).toBe(20);
  });

  it('names both paths for an even server count and a world-open admin CIDR', () => {
    expect(
      errors((raw) => {
        raw.cluster.servers.count = 2;
        raw.openstack.adminCidrs = ['0.0.0.0/0'];
      }),
    ).toEqual([
      'openstack.adminCidrs.0: 0.0.0.0/0 opens SSH and the Kubernetes API to the whole internet; set openstack.allowWorldAccess: true to allow it',
      'cluster.servers.count: must be odd so embedded etcd keeps quorum (got 2)',
    ]);
  });

  it('refuses ::/0 too, and accepts world access with the explicit opt-in', () => {
    expect(errors((raw) => (raw.openstack.adminCidrs = ['10.0.0.0/8', '::/0']))).toEqual([
      'openstack.adminCidrs.1: ::/0 opens SSH and the Kubernetes API to the whole internet; set openstack.allowWorldAccess: true to allow it',
    ]);
    const env = environment((raw) => {
      raw.openstack.adminCidrs = ['0.0.0.0/0'];
      raw.openstack.allowWorldAccess = true;
    });
    expect(env.openstack.adminCidrs).toEqual(['0.0.0.0/0']);
  });

  it('rejects unknown keys at any depth', () => {
    expect(
      errors((raw) => {
        raw.clusterr = {};
        raw.cluster.agents.flavour = 'x';
      }),
    ).toEqual([
      'cluster.agents: unknown key "flavour" (check the spelling: did you mean "flavor"?)',
      '(top level): unknown key "clusterr" (check the spelling: did you mean "cluster"?)',
    ]);
  });

  it.each([
    ['a CIDR that is not one', (r: any) => (r.openstack.adminCidrs = ['10.0.0.0/33']), 'openstack.adminCidrs.0: must be a CIDR such as 10.0.0.0/24 or 2001:db8::/64 (got "10.0.0.0/33")'],
    ['a k3s version without +k3s', (r: any) => (r.cluster.k3sVersion = '1.31.4'), 'cluster.k3sVersion: must be a k3s release such as v1.36.4+k3s1'],
    ['no admin CIDR', (r: any) => (r.openstack.adminCidrs = []), 'openstack.adminCidrs: must name at least one admin CIDR (your VPN range)'],
    ['no availability zone', (r: any) => (r.openstack.availabilityZones = []), 'openstack.availabilityZones: must name at least one availability zone'],
    ['zero servers', (r: any) => (r.cluster.servers.count = 0), 'cluster.servers.count: must be at least 1'],
    ['zero agents', (r: any) => (r.cluster.agents.count = 0), 'cluster.agents.count: must be at least 1: servers are tainted NoSchedule, so the apps need agents'],
    ['a fractional count', (r: any) => (r.cluster.agents.count = 1.5), 'cluster.agents.count: must be a whole number'],
    ['a missing field', (r: any) => delete r.openstack.image, 'openstack.image: is required (string)'],
    ['a new network with a bad CIDR', (r: any) => (r.openstack.network.cidr = 'nope'), 'openstack.network.cidr: must be a CIDR such as 10.0.0.0/24 or 2001:db8::/64 (got "nope")'],
    ['a network that is neither', (r: any) => (r.openstack.network = { name: 'x' }), 'openstack.network: must be either { existing: <network name> } or { cidr: <subnet CIDR> }'],
    ['a tag in an image name', (r: any) => (r.apps.images.api.image = 'x/api:1.0'), 'apps.images.api.image: must be an image name without a tag, e.g. docker.io/apache/kafka'],
    ['an upper-case name', (r: any) => (r.name = 'Prod'), 'name: must be a lowercase DNS label: letters, digits and "-", starting with a letter, at most 32 characters'],
    ['maxReplicas below minReplicas', (r: any) => (r.apps.api = { minReplicas: 4, maxReplicas: 2 }), 'apps.api.maxReplicas: maxReplicas must not be below minReplicas'],
    ['replication above the brokers', (r: any) => (r.apps.topics.events.replication = 5), 'apps.topics.events.replication: must not exceed apps.kafka.replicas (3) (got 5)'],
    ['more processors than partitions', (r: any) => { r.apps.processor = { replicas: 7 }; r.cluster.agents.count = 3; }, 'apps.processor.replicas: must not exceed the partitions of topic minio-events (6); extra replicas would sit idle'],
    ['3 MinIO pods', (r: any) => (r.apps.minio = { replicas: 3 }), 'apps.minio.replicas: must be 1, or an even number of at least 4 for erasure coding (got 3)'],
    ['a bad public key', (r: any) => (r.openstack.keypair = { name: 'k', publicKey: 'not a key' }), 'openstack.keypair.publicKey: must be one OpenSSH public key line, e.g. "ssh-ed25519 AAAA... you@laptop"'],
    ['both key forms', (r: any) => (r.openstack.keypair.publicKey = 'ssh-ed25519 AAAA'), 'openstack.keypair: give publicKey or publicKeyFile, not both'],
    ['a missing key file', (r: any) => (r.openstack.keypair.publicKeyFile = 'nope.pub'), expect.stringMatching(/^openstack\.keypair\.publicKeyFile: no such file .*nope\.pub$/)],
    ['an airgap artifact with path and url', (r: any) => (r.cluster.airgap = { binary: { path: '/k3s', url: 'https://x/k3s', sha256: 'a'.repeat(64) }, images: { path: '/i.tar.zst', sha256: 'b'.repeat(64) } }), 'cluster.airgap.binary: give exactly one of path or url'],
    ['a bad state endpoint', (r: any) => (r.state = { endpoint: 'nope', bucket: 'tfstate', key: 'wolke/example.tfstate' }), 'state.endpoint: must be a URL such as https://s3.example.com'],
  ])('rejects %s with its path', (_, patch, line) => {
    expect(errors(patch)).toEqual([line]);
  });
});

describe('loading', () => {
  it('selects the environment from WOLKE_ENV, example by default', () => {
    expect(selectedEnvironmentName({})).toBe('example');
    expect(selectedEnvironmentName({ WOLKE_ENV: 'prod' })).toBe('prod');
  });

  it('applies WOLKE_SET overrides as YAML scalars before validating', () => {
    const env = loadEnvironment('example', 'cluster.agents.count=5; apps.api.maxReplicas=10\ncluster.wireguard=true');
    expect(env.cluster.agents.count).toBe(5);
    expect(env.apps.api.maxReplicas).toBe(10);
    expect(env.cluster.wireguard).toBe(true);
    expect(() => loadEnvironment('example', 'cluster.servers.count=4')).toThrow(/cluster\.servers\.count: must be odd/);
    expect(() => applyOverrides({}, 'nonsense')).toThrow(/WOLKE_SET: "nonsense" is not of the form path=value/);
  });

  it('reports YAML syntax errors with the file and a missing environment by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wolke-config-'));
    writeFileSync(join(dir, 'broken.yaml'), 'name: [unclosed\n');
    expect(() => loadEnvironment(join(dir, 'broken.yaml'), '')).toThrow(/broken\.yaml: /);
    expect(() => loadEnvironment('does-not-exist', '')).toThrow(/WOLKE_ENV: no environment file .*does-not-exist\.yaml/);
  });

  it('reads an inline key without a key file', () => {
    const raw = exampleInput();
    raw.openstack.keypair = { name: 'k', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2qBX0 me@laptop' };
    expect(parseEnvironment(raw).openstack.keypair.publicKey).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2qBX0 me@laptop');
    expect(stringify(raw)).not.toContain('publicKeyFile');
  });
});
