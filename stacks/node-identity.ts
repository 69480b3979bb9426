// What makes a node what it is: the spec a server is created from, and the name derived from it.
import { createHash } from 'node:crypto';

/** Everything that, when it changes, must give a new server (immutable infrastructure). */
export interface NodeSpec {
  k3sVersion: string;
  /** Image name or id as the model gives it. */
  image: string;
  flavor: string;
  availabilityZone: string;
  keyPair: string;
  /** Boot volume size in GiB; null boots from the flavor's disk. */
  bootVolumeSize: number | null;
}

/** The fields of a spec in a fixed order: what the name's hash and the server's metadata record. */
export function canonicalSpec(spec: NodeSpec): string {
  return JSON.stringify([spec.k3sVersion, spec.image, spec.flavor, spec.availabilityZone, spec.keyPair, spec.bootVolumeSize]);
}

export function parseCanonicalSpec(text: string): NodeSpec | undefined {
  try {
    const [k3sVersion, image, flavor, availabilityZone, keyPair, bootVolumeSize] = JSON.parse(text) as unknown[];
    if ([k3sVersion, image, flavor, availabilityZone, keyPair].some((v) => typeof v !== 'string')) return undefined;
    if (bootVolumeSize !== null && typeof bootVolumeSize !== 'number') return undefined;
    return { k3sVersion, image, flavor, availabilityZone, keyPair, bootVolumeSize } as NodeSpec;
  } catch {
    return undefined;
  }
}

/** Eight hex digits that change whenever anything of the spec changes. */
function specHash(spec: NodeSpec): string {
  return createHash('sha256').update(canonicalSpec(spec)).digest('hex').slice(0, 8);
}

/** A node's place in its pool, e.g. wolke-example-agent-1: it keeps its floating IP across replacements. */
function slotName(prefix: string, role: 'server' | 'agent', index: number): string {
  return `${prefix}-${role}-${index}`;
}

/**
 * Node name, unique per spec so a replacement can run beside the node it replaces (k3s refuses a second node of the
 * same name).
 */
export function nodeName(slot: string, spec: NodeSpec): string {
  return `${slot}-${specHash(spec)}`;
}

/** Minimal view of the model this needs (the Environment type satisfies it). */
export interface NodeModel {
  name: string;
  openstack: { image: string; availabilityZones: string[]; keypair: { name: string }; bootVolumeSize?: number };
  cluster: { k3sVersion: string; servers: { count: number; flavor: string }; agents: { count: number; flavor: string } };
}

/** Every node the model asks for, servers first (the order nodes are rolled in), with the spec it wants for each. */
export function wantedNodes(env: NodeModel): { slot: string; role: 'server' | 'agent'; index: number; target: NodeSpec }[] {
  const prefix = `wolke-${env.name}`;
  const pool = (role: 'server' | 'agent', spec: { count: number; flavor: string }) =>
    Array.from({ length: spec.count }, (_, index) => ({
      slot: slotName(prefix, role, index),
      role,
      index,
      target: {
        k3sVersion: env.cluster.k3sVersion,
        image: env.openstack.image,
        flavor: spec.flavor,
        availabilityZone: env.openstack.availabilityZones[index % env.openstack.availabilityZones.length],
        keyPair: env.openstack.keypair.name,
        bootVolumeSize: env.openstack.bootVolumeSize ?? null,
      },
    }));
  return [...pool('server', env.cluster.servers), ...pool('agent', env.cluster.agents)];
}
