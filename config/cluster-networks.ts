// Rules between the networks of one environment: the node subnet, k3s's pod and Service networks, the admin and
// ingress networks. A node routes the pod and Service networks into the cluster, so any other network there breaks.
import type { EnvironmentFields } from './schema';
import { overlaps, prefixLength, within } from './networks';

/** A refused combination: the model path it is reported at, and why. */
export interface NetworkIssue {
  path: (string | number)[];
  message: string;
}

/** How many nodes a pod network of this size holds: k3s gives every node a /24. */
const nodeRanges = (podCidr: string): number => 2 ** Math.max(0, 24 - prefixLength(podCidr));

/** The pod and Service networks of a model, as the cluster section names them. */
interface PodAndServiceNetworks {
  podCidr: string;
  serviceCidr: string;
}

const clusterNetworksOf = ({ podCidr, serviceCidr }: PodAndServiceNetworks) => [
  { path: 'cluster.podCidr', cidr: podCidr, what: "k3s's pod network (its cluster-cidr)" },
  { path: 'cluster.serviceCidr', cidr: serviceCidr, what: "k3s's Service network (its service-cidr)" },
];

/**
 * Why a node subnet cannot hold a cluster's nodes, one line per overlapping network; used for the model's new subnet
 * and, by the preflight, for an existing network's subnets.
 */
export function nodeSubnetOverlaps(subnet: string, networks: PodAndServiceNetworks, instead = 'choose another range such as 10.20.0.0/24'): string[] {
  return clusterNetworksOf(networks)
    .filter((cluster) => overlaps(subnet, cluster.cidr))
    .map(
      (cluster) =>
        `overlaps ${cluster.path} (${cluster.cidr}), ${cluster.what}: the nodes would route their neighbours' addresses into the cluster; ${instead}, or move ${cluster.path}`,
    );
}

export function clusterNetworkIssues(env: EnvironmentFields): NetworkIssue[] {
  const issues: NetworkIssue[] = [];
  const { podCidr, serviceCidr, servers, agents } = env.cluster;
  const clusterNetworks = clusterNetworksOf(env.cluster);

  if (overlaps(podCidr, serviceCidr)) {
    issues.push({
      path: ['cluster', 'serviceCidr'],
      message: `overlaps cluster.podCidr (${podCidr}): k3s would hand the same addresses to pods and Services; choose networks that do not overlap, such as 10.42.0.0/16 and 10.43.0.0/16`,
    });
  }

  const network = env.openstack.network;
  if ('cidr' in network) {
    for (const message of nodeSubnetOverlaps(network.cidr, env.cluster)) issues.push({ path: ['openstack', 'network', 'cidr'], message });
  }

  // A larger network that holds a cluster network (10.0.0.0/8, 0.0.0.0/0) still reaches the nodes from the rest of it.
  const operatorNetworks = [
    { key: 'adminCidrs', cidrs: env.openstack.adminCidrs, reach: 'SSH and the Kubernetes API' },
    { key: 'ingressCidrs', cidrs: env.openstack.ingressCidrs, reach: 'the web ingress' },
  ] as const;
  for (const { key, cidrs, reach } of operatorNetworks) {
    cidrs.forEach((cidr, i) => {
      for (const cluster of clusterNetworks) {
        if (within(cidr, cluster.cidr)) {
          issues.push({
            path: ['openstack', key, i],
            message: `lies within ${cluster.path} (${cluster.cidr}), ${cluster.what}: the nodes send their answers to that range into the cluster, so it never reaches ${reach}; move ${cluster.path} to a range clear of it`,
          });
        }
      }
    });
  }

  // A replacement node registers (and gets its range) before the node it replaces is deleted.
  const nodes = servers.count + agents.count;
  const available = nodeRanges(podCidr);
  if (available < 2 * nodes) {
    issues.push({
      path: ['cluster', 'podCidr'],
      message: `holds ${available} node ranges (a /24 each), and ${nodes} nodes need ${2 * nodes} (a replacement node gets its range before the old one is deleted); use a larger network such as a /16`,
    });
  }
  return issues;
}
