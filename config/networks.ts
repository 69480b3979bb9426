// CIDR arithmetic for the model's networks: host bits, overlaps with the ranges k3s and the cloud use, subnet size.
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** The network address of a CIDR in canonical form: `10.1.2.3/8` → `10.0.0.0/8`. */
export function networkOf(cidr: string): string {
  const [address, bits] = ipaddr.parseCIDR(cidr);
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return `${network.toString()}/${bits}`;
}

/** True when a CIDR has bits set after its prefix, e.g. `10.1.0.0/8`, which Neutron refuses or rewrites. */
export function hasHostBits(cidr: string): boolean {
  const [address] = ipaddr.parseCIDR(cidr);
  const [network] = ipaddr.parseCIDR(networkOf(cidr));
  return address.toNormalizedString() !== network.toNormalizedString();
}

/** True when two CIDRs share any address. */
export function overlaps(a: string, b: string): boolean {
  const [addressA, bitsA] = ipaddr.parseCIDR(a);
  const [addressB, bitsB] = ipaddr.parseCIDR(b);
  if (addressA.kind() !== addressB.kind()) return false;
  // Two networks overlap exactly when the one with the shorter prefix contains the other's address.
  const within = (address: Address, network: Address, bits: number) => (address as ipaddr.IPv4).match(network as ipaddr.IPv4, bits);
  return bitsA <= bitsB ? within(addressB, addressA, bitsA) : within(addressA, addressB, bitsB);
}

/** True when network `inner` lies wholly within network `outer` (CIDR blocks either nest or are disjoint). */
export function within(inner: string, outer: string): boolean {
  return overlaps(inner, outer) && ipaddr.parseCIDR(inner)[1] >= ipaddr.parseCIDR(outer)[1];
}

/** The prefix length of a CIDR: 16 for `10.42.0.0/16`. */
export const prefixLength = (cidr: string): number => ipaddr.parseCIDR(cidr)[1];

/** True for an IPv4 CIDR. */
export const isIPv4Cidr = (cidr: string): boolean => ipaddr.parseCIDR(cidr)[0].kind() === 'ipv4';

/** k3s's own pod network (its cluster-cidr) unless the model names another. */
export const DEFAULT_POD_CIDR = '10.42.0.0/16';
/** k3s's own Service network (its service-cidr) unless the model names another. */
export const DEFAULT_SERVICE_CIDR = '10.43.0.0/16';

/**
 * Ranges no network of the model may use, and why: the host needs them. The pod and Service networks are the model's
 * own (cluster.podCidr, cluster.serviceCidr); config/cluster-networks.ts keeps the other networks out of them.
 */
export const reservedRanges: readonly { cidr: string; why: string }[] = [
  { cidr: '169.254.0.0/16', why: 'the link-local range where OpenStack serves the metadata cloud-init reads' },
  { cidr: '127.0.0.0/8', why: 'the loopback range' },
  { cidr: '0.0.0.0/8', why: 'the "this network" range' },
  { cidr: '224.0.0.0/4', why: 'the multicast range' },
  { cidr: '240.0.0.0/4', why: 'the reserved range' },
];

/**
 * Addresses of an IPv4 subnet that Neutron can give to ports: all but the network and broadcast addresses,
 * the router's gateway and the DHCP port.
 */
export function portAddresses(cidr: string): number {
  const bits = ipaddr.parseCIDR(cidr)[1];
  return Math.max(0, 2 ** (32 - bits) - 4);
}
