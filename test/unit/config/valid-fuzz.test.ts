// Property test: random models that every receiving system would accept pass the model's rules and synthesize both layers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { manifestsYaml } from '../../../charts/manifests';
import { agentSize, agentsNeeded, workloadRequests } from '../../../config/capacity';
import { minInSyncReplicas } from '../../../config/consistency';
import { parseEnvironment } from '../../../config/load';
import { MAX_AGENTS, appsSchema } from '../../../config/schema';
import { policyViolations } from '../../../stacks/policy-aspect';
import { exampleInput } from '../../support/environments';
import { synthStack } from '../../support/synth';

const label = (max: number) => fc.stringMatching(new RegExp(`^[a-z0-9]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`));

/** Two different MinIO bucket names (3-63 characters, no dots, never "minio"). */
const buckets = fc
  .uniqueArray(fc.stringMatching(/^[a-z0-9][-a-z0-9]{1,20}[a-z0-9]$/).filter((b) => b !== 'minio'), { minLength: 2, maxLength: 2 })
  .map(([uploads, processed]) => ({ uploads, processed }));

/** A node subnet clear of k3s's 10.42/10.43, link-local and the other reserved ranges. */
const subnet = fc
  .tuple(fc.constantFrom(10, 172, 192), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 24 }))
  .filter(([a, b]) => !(a === 10 && (b === 42 || b === 43)))
  .map(([a, b, bits]) => `${a}.${b}.0.0/${bits}`);

/**
 * k3s's pod and Service networks: its defaults, or others clear of the subnets above and the example's admin network
 * (a pod network from 100.64.0.0/10, a Service network from 198.18.0.0/15), sized within the model's bounds.
 */
const clusterNetworks = fc.option(
  fc.record({
    podCidr: fc.integer({ min: 10, max: 16 }).map((bits) => `100.64.0.0/${bits}`),
    serviceCidr: fc.integer({ min: 15, max: 24 }).map((bits) => `198.18.0.0/${bits}`),
  }),
  { nil: undefined },
);

const quantity = fc.oneof(
  fc.integer({ min: 1, max: 4096 }).map((n) => `${n}Gi`),
  fc.integer({ min: 2, max: 4000 }).map((n) => `${n}G`),
  fc.integer({ min: 1, max: 4 }).map((n) => `${n}Ti`),
);

const largestSide = { webp: 16_383, avif: 16_384, jpeg: 65_535, png: 65_535 } as const;
const renditions = fc.uniqueArray(
  fc.record({ name: label(20), format: fc.constantFrom('jpeg', 'webp', 'png', 'avif') as fc.Arbitrary<keyof typeof largestSide>, size: fc.integer({ min: 16, max: 65_535 }) }),
  { minLength: 1, maxLength: 4, selector: (r) => r.name },
).map((list) => list.map((r) => ({ ...r, size: Math.min(r.size, largestSide[r.format]) })));

const model = fc.record({
  name: fc.stringMatching(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/),
  keypair: fc.stringMatching(/^[A-Za-z0-9_-]([A-Za-z0-9_ -]{0,30}[A-Za-z0-9_-])?$/),
  zones: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { minLength: 1, maxLength: 4 }),
  subnet,
  clusterNetworks,
  k3s: fc
    .tuple(fc.integer({ min: 25, max: 40 }), fc.integer({ min: 0, max: 20 }), fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), fc.integer({ min: 1, max: 3 }))
    .map(([minor, patch, rc, k3s]) => `v1.${minor}.${patch}${rc ? `-rc${rc}` : ''}+k3s${k3s}`),
  servers: fc.constantFrom(1, 3, 5, 7),
  agents: fc.integer({ min: 1, max: 12 }),
  namespace: label(30).filter((ns) => ns !== 'default' && !ns.startsWith('kube-')),
  buckets,
  kafka: fc.integer({ min: 1, max: 9 }),
  replicationPick: fc.integer({ min: 0, max: 8 }),
  partitions: fc.integer({ min: 1, max: 64 }),
  minio: fc.constantFrom(1, 4, 6, 8, 16),
  kafkaStorage: quantity,
  minioStorage: quantity,
  renditions,
  host: fc.option(fc.tuple(fc.boolean(), fc.array(label(12), { minLength: 2, maxLength: 4 })).map(([wild, labels]) => `${wild ? '*.' : ''}${labels.join('.')}`), { nil: undefined }),
  tlsSecret: fc.option(fc.array(label(12), { minLength: 1, maxLength: 3 }).map((l) => l.join('.')), { nil: undefined }),
  sensors: fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,10}[A-Za-z0-9]$/), { minLength: 1, maxLength: 20 }),
  version: fc.stringMatching(/^[0-9][0-9a-z.-]{0,12}$/),
  remoteState: fc.boolean(),
});

describe('valid models', () => {
  it('pass every rule and synthesize the stack and the manifests', () => {
    fc.assert(
      fc.property(model, (m) => {
        const raw = exampleInput();
        raw.name = m.name;
        raw.openstack.keypair = { name: m.keypair, publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2qBX0 me@laptop' };
        raw.openstack.availabilityZones = m.zones;
        raw.openstack.network.cidr = m.subnet;
        raw.cluster.k3sVersion = m.k3s;
        Object.assign(raw.cluster, m.clusterNetworks);
        raw.cluster.servers.count = m.servers;
        raw.cluster.agents.count = m.agents;
        const replication = minInSyncReplicas(m.kafka) + (m.replicationPick % (m.kafka - minInSyncReplicas(m.kafka) + 1));
        raw.apps = {
          ...raw.apps,
          namespace: m.namespace,
          buckets: m.buckets,
          kafka: { replicas: m.kafka, storage: m.kafkaStorage },
          minio: { replicas: m.minio, storage: m.minioStorage },
          topics: Object.fromEntries(Object.keys(raw.apps.topics).map((t) => [t, { partitions: m.partitions, replication }])),
          processor: { replicas: Math.min(2, m.partitions), renditions: m.renditions },
          producer: { sensors: m.sensors },
          ingress: { ...(m.host ? { host: m.host } : {}), ...(m.tlsSecret ? { tlsSecret: m.tlsSecret } : {}) },
        };
        raw.apps.images.api.version = m.version;
        // At least the agents that hold every pod with one of them drained (the capacity rule), more when drawn so.
        const needed = agentsNeeded(workloadRequests({ apps: appsSchema.parse(raw.apps) }), agentSize(raw.cluster.agents)!, MAX_AGENTS)!;
        raw.cluster.agents.count = Math.max(m.agents, needed);
        if (m.remoteState) raw.state = { endpoint: 'https://s3.example.com', bucket: 'tfstate', key: `wolke/${m.name}.tfstate` };

        const env = parseEnvironment(raw);
        const { json, resources } = synthStack(env);
        expect(policyViolations(json.resource, { allowWorldAccess: false })).toEqual([]);
        expect(Object.keys(resources('openstack_compute_instance_v2'))).toHaveLength(m.servers + raw.cluster.agents.count);
        const objects = parseAllDocuments(manifestsYaml(env)).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string } });
        expect(objects.find((o) => o.kind === 'Namespace')?.metadata).toMatchObject({ name: m.namespace });
      }),
      { numRuns: 10 },
    );
    // Each run synthesizes a stack and every chart (about a second on a loaded machine).
  }, 180_000);
});
