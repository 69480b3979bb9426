// The pod and Service networks a running cluster was created with, read back from its servers' metadata: k3s cannot
// move a running cluster to other networks, so the preflight refuses a model that names others.
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from '../../config/networks';
import { nodeSubnetOverlaps } from '../../config/cluster-networks';

/** k3s's pod network (cluster-cidr) and Service network (service-cidr) of one cluster. */
export interface ClusterNetworks {
  podCidr: string;
  serviceCidr: string;
}

/** The metadata value a server records its cluster's networks in (stacks/nodes.ts writes it). */
export const networksMetadata = (networks: ClusterNetworks): string => JSON.stringify([networks.podCidr, networks.serviceCidr]);

/**
 * The networks a server's metadata records; k3s's defaults for a server created before wolke recorded them (wolke
 * never set others then); undefined when the value is unreadable.
 */
export function recordedNetworks(metadata: string | undefined): ClusterNetworks | undefined {
  if (metadata === undefined) return { podCidr: DEFAULT_POD_CIDR, serviceCidr: DEFAULT_SERVICE_CIDR };
  try {
    const [podCidr, serviceCidr] = JSON.parse(metadata) as unknown[];
    return typeof podCidr === 'string' && typeof serviceCidr === 'string' ? { podCidr, serviceCidr } : undefined;
  } catch {
    return undefined;
  }
}

/** A server of the environment that runs now, with the networks its metadata records (undefined: unreadable). */
export interface NetworkedNode {
  name: string;
  networks: ClusterNetworks | undefined;
}

const fields = [
  { key: 'podCidr', path: 'cluster.podCidr', what: "pods' network" },
  { key: 'serviceCidr', path: 'cluster.serviceCidr', what: "Services' network" },
] as const;

const fix = 'put the old value back, or destroy the environment (`npx cdktf destroy`) and deploy it anew';

/** One line per network the model changes under a running cluster; none when no server runs or nothing changes. */
export function networkChanges(running: NetworkedNode[], wanted: ClusterNetworks): string[] {
  if (running.length === 0) return [];
  const names = (nodes: NetworkedNode[]) => nodes.slice(0, 3).map((n) => n.name).join(', ') + (nodes.length > 3 ? ` and ${nodes.length - 3} more` : '');
  const unreadable = running.filter((n) => n.networks === undefined);
  if (unreadable.length > 0) {
    return [`no readable wolke-networks metadata on ${names(unreadable)}, so the cluster's pod and Service networks are unknown; ${fix}`];
  }
  const problems: string[] = [];
  for (const { key, path, what } of fields) {
    const other = running.filter((n) => n.networks![key] !== wanted[key]);
    if (other.length === 0) continue;
    const was = [...new Set(other.map((n) => n.networks![key]))].join(', ');
    problems.push(
      `${path} changes from ${was} to ${wanted[key]}, but the cluster runs on it (${names(other)}): k3s cannot move a running cluster's ${what}; ${fix}`,
    );
  }
  return problems;
}

/**
 * One line per subnet of an existing network that overlaps the pod or Service network: the model cannot check those,
 * the preflight reads them from the cloud.
 */
export function existingSubnetOverlaps(network: string, subnets: { name: string; cidr: string }[], wanted: ClusterNetworks): string[] {
  return subnets.flatMap((subnet) =>
    nodeSubnetOverlaps(subnet.cidr, wanted, 'attach the nodes to another network').map(
      (why) => `subnet "${subnet.name}" (${subnet.cidr}) of openstack.network.existing "${network}" ${why}`,
    ),
  );
}
