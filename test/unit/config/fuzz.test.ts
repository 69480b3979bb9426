// Property tests: random invalid environments are all refused with a path; random valid ones keep the stack rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../config/load';
import { ConfigError } from '../../../config/errors';
import { environmentSchema } from '../../../config/schema';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR, within } from '../../../config/networks';
import { knownKeysAt } from '../../../config/suggest';
import { policyViolations } from '../../../stacks/policy-aspect';
import { exampleInput } from '../../support/environments';
import { synthStack } from '../../support/synth';

type Json = Record<string, any>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every path to a leaf (a scalar or an array) of a document, e.g. ['cluster', 'servers', 'count']. */
function leafPaths(doc: Json, prefix: string[] = []): string[][] {
  return Object.entries(doc).flatMap(([k, v]) => (isObject(v) ? leafPaths(v, [...prefix, k]) : [[...prefix, k]]));
}

function objectPaths(doc: Json, prefix: string[] = []): string[][] {
  return [prefix, ...Object.entries(doc).flatMap(([k, v]) => (isObject(v) ? objectPaths(v, [...prefix, k]) : []))];
}

function setAt(doc: Json, path: string[], value: unknown): void {
  const parent = path.slice(0, -1).reduce((node, key) => node[key], doc);
  parent[path[path.length - 1]] = value;
}

function rejection(raw: Json): string[] {
  try {
    parseEnvironment(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}

/** A value of a type that the leaf at `path` can never take. */
const wrongType = (current: unknown) => (typeof current === 'string' ? fc.integer() : fc.oneof(fc.string({ minLength: 1 }), fc.constant({ nested: true })));

/**
 * A network address and its prefix; no bits are set after the prefix, which Neutron refuses or rewrites. Never inside
 * the example's pod or Service network, which the nodes would route into the cluster (config/cluster-networks.ts).
 */
const ipv4Cidr = fc
  .tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 }))
  .map(([a, b, bits]) => {
    const network = (((a << 24) | (b << 16)) & (~0 << (32 - bits))) >>> 0;
    return `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}/${bits}`;
  })
  .filter((cidr) => !within(cidr, DEFAULT_POD_CIDR) && !within(cidr, DEFAULT_SERVICE_CIDR));

const validEnvironment = fc.record({
  servers: fc.integer({ min: 0, max: 3 }).map((n) => 2 * n + 1),
  // Two at least: with one drained, the other must hold the example's pods (the capacity rule).
  agents: fc.integer({ min: 2, max: 9 }),
  wireguard: fc.boolean(),
  adminCidrs: fc.uniqueArray(ipv4Cidr, { minLength: 1, maxLength: 3 }),
  world: fc.boolean(),
  zones: fc.integer({ min: 1, max: 3 }),
  existingNetwork: fc.boolean(),
  bootVolume: fc.option(fc.integer({ min: 10, max: 200 }), { nil: undefined }),
});

describe('config fuzzing', () => {
  it('refuses a wrong-typed value at any leaf, naming that path', () => {
    const raw = exampleInput();
    const paths = leafPaths(raw).filter((p) => p.join('.') !== 'openstack.keypair.publicKeyFile');
    fc.assert(
      fc.property(fc.constantFrom(...paths).chain((path) => fc.tuple(fc.constant(path), wrongType(path.reduce((n, k) => n[k], raw as any)))), ([path, value]) => {
        const doc = exampleInput();
        setAt(doc, path, value);
        const lines = rejection(doc);
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.some((l) => l.startsWith(path.join('.')))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an unknown key in any object, naming the object', () => {
    const raw = exampleInput();
    fc.assert(
      fc.property(fc.constantFrom(...objectPaths(raw)), fc.stringMatching(/^[a-z][a-zA-Z]{2,12}$/), (path, key) => {
        const doc = exampleInput();
        const target = path.reduce((n, k) => n[k], doc as any);
        fc.pre(!(key in target));
        target[key] = 1;
        const start = `${path.join('.') || '(top level)'}: unknown key "${key}" (check the spelling`;
        const line = rejection(doc).find((l) => l.startsWith(start));
        // A key close to a known one also names it; the suggestion must be a key of that object.
        const suggestion = /: did you mean "([^"]+)"\?\)$/.exec(line ?? '')?.[1];
        expect(line).toBe(suggestion === undefined ? `${start})` : `${start}: did you mean "${suggestion}"?)`);
        if (suggestion !== undefined) expect(knownKeysAt(environmentSchema, path)).toContain(suggestion);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses any even server count and any world-open admin CIDR without the opt-in', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }).map((n) => 2 * n), fc.constantFrom('0.0.0.0/0', '::/0'), (servers, world) => {
        const doc = exampleInput();
        doc.cluster.servers.count = servers;
        doc.openstack.adminCidrs = ['10.0.0.0/8', world];
        expect(rejection(doc)).toEqual([
          `openstack.adminCidrs.1: ${world} opens SSH and the Kubernetes API to the whole internet; set openstack.allowWorldAccess: true to allow it`,
          `cluster.servers.count: must be odd so embedded etcd keeps quorum (got ${servers})`,
        ]);
      }),
      { numRuns: 100 },
    );
  });

  it('synthesizes random valid environments that keep the stack rules', () => {
    fc.assert(
      fc.property(validEnvironment, (shape) => {
        const doc = exampleInput();
        doc.cluster.servers.count = shape.servers;
        doc.cluster.agents.count = shape.agents;
        doc.cluster.wireguard = shape.wireguard;
        doc.openstack.adminCidrs = shape.world ? [...shape.adminCidrs, '0.0.0.0/0'] : shape.adminCidrs;
        doc.openstack.allowWorldAccess = shape.world;
        doc.openstack.availabilityZones = ['az1', 'az2', 'az3'].slice(0, shape.zones);
        if (shape.existingNetwork) doc.openstack.network = { existing: 'shared' };
        if (shape.bootVolume) doc.openstack.bootVolumeSize = shape.bootVolume;
        const env = parseEnvironment(doc);
        const { json, resources } = synthStack(env);

        expect(policyViolations(json.resource, { allowWorldAccess: env.openstack.allowWorldAccess })).toEqual([]);
        expect(Object.keys(resources('openstack_compute_instance_v2'))).toHaveLength(shape.servers + shape.agents);
        const rules = Object.values(resources('openstack_networking_secgroup_rule_v2')) as any[];
        const etcd = rules.filter((r) => r.port_range_min === 2379);
        expect(etcd).toHaveLength(shape.servers > 1 ? 1 : 0);
        for (const r of etcd) expect(r.remote_group_id).toBe(r.security_group_id);
        const worldAdmin = rules.filter((r) => r.remote_ip_prefix === '0.0.0.0/0' && [22, 6443].includes(r.port_range_min));
        expect(worldAdmin.length > 0).toBe(shape.world);
        expect(rules.some((r) => r.port_range_min === 51820)).toBe(shape.wireguard);
      }),
      { numRuns: 12 },
    );
    // Each run synthesizes a whole stack (~0.3 s alone; much more on a loaded machine).
  }, 120_000);
});
