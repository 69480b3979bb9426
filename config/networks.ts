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

/** True for an IPv4 CIDR. */
export const isIPv4Cidr = (cidr: string): boolean => ipaddr.parseCIDR(cidr)[0].kind() === 'ipv4';

/** Ranges a node subnet must stay out of, and why: k3s routes its pods and Services there, or the host needs them. */
export const reservedRanges: readonly { cidr: string; why: string }[] = [
  { cidr: '10.42.0.0/16', why: "k3s's pod network (cluster-cidr 10.42.0.0/16)" },
  { cidr: '10.43.0.0/16', why: "k3s's Service network (service-cidr 10.43.0.0/16)" },
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
