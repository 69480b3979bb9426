// The OpenStack slice of the model: the network, image, keypair, zones and who may reach the nodes.
import { z } from 'zod';
import { INT32_MAX, wholeNumber } from '../limits';
import { availabilityZone, keypairName, linuxUser, openstackName } from '../names';
import { ipv4Network, networkCidr } from './cidrs';
import { list, nonEmpty } from './fields';

/** Admin CIDRs that open SSH and the Kubernetes API to everyone; allowed only with allowWorldAccess. */
export const worldCidrs: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

/** The subnet of a new network: IPv4 (floating IPs attach to IPv4 ports only), clear of what the host uses. */
const subnetCidr = ipv4Network('10.20.0.0/24', 'OpenStack floating IPs attach only to ports with an IPv4 address');

/** Reuse an existing network by name, or create one with this subnet CIDR (and a router). */
export const networkSchema = z.union(
  [
    z.strictObject({ existing: openstackName('a Neutron network name'), subnet: openstackName('a Neutron subnet name').optional() }),
    z.strictObject({
      cidr: subnetCidr,
      /** DNS servers handed out by DHCP on the new subnet (Neutron allows 5 and refuses repeats). */
      dnsNameservers: list(z.ipv4({ error: 'must be an IPv4 address' }), {
        max: { value: 5, error: 'must name at most 5 servers, the most Neutron hands out (max_dns_nameservers)' },
        repeat: 'Neutron refuses a repeated nameserver',
      }).default([]),
    }),
  ],
  { error: 'must be either { existing: <network name> } or { cidr: <subnet CIDR> }' },
);

/** The keypair: created from the public key when one is given, otherwise an existing keypair of that name. */
export const keypairSchema = z.strictObject({
  name: keypairName,
  /** Path of an OpenSSH public key, relative to the environment file; the loader reads it into publicKey. */
  publicKeyFile: nonEmpty.optional(),
  /** An OpenSSH public key, inline. */
  publicKey: z
    .string()
    .trim()
    .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$/, {
      error: 'must be one OpenSSH public key line, e.g. "ssh-ed25519 AAAA... you@laptop"',
    })
    .optional(),
});

/** A world CIDR among adminCidrs needs allowWorldAccess: the rule of adminCidrs, reported on the entry. */
function worldAccessNeedsOptIn(os: { adminCidrs: string[]; allowWorldAccess: boolean }, ctx: z.RefinementCtx) {
  if (os.allowWorldAccess) return;
  os.adminCidrs.forEach((c, i) => {
    if (worldCidrs.has(c)) {
      ctx.addIssue({
        code: 'custom',
        path: ['adminCidrs', i],
        message: `${c} opens SSH and the Kubernetes API to the whole internet; set openstack.allowWorldAccess: true to allow it`,
      });
    }
  });
}

/** Where the nodes run: the cloud's networks, image, keypair and zones, and who may reach the nodes. */
export const openstackSchema = z
  .strictObject({
    /** Name of the external (provider) network that floating IPs come from. */
    externalNetwork: openstackName('a Neutron network name'),
    network: networkSchema,
    /** Glance image, by name or id, that every node boots. */
    image: openstackName('a Glance image name'),
    /** Login user of that image, used by Ansible. */
    sshUser: linuxUser.default('debian'),
    keypair: keypairSchema,
    /** Availability zones the nodes are spread over, round robin. */
    availabilityZones: list(availabilityZone, {
      min: { value: 1, error: 'must name at least one availability zone' },
      max: { value: 16, error: 'must name at most 16 zones' },
      repeat: 'nodes would pile up in that zone instead of spreading',
    }),
    /** Networks allowed to reach SSH (22) and the Kubernetes API (6443). */
    adminCidrs: list(networkCidr, {
      min: { value: 1, error: 'must name at least one admin CIDR (your VPN range)' },
      max: { value: 20, error: 'must name at most 20 networks: each adds 3 security group rules, and Neutron allows 100 per project by default' },
      repeat: 'Neutron refuses a second identical security group rule',
    }),
    /** Networks allowed to reach the web ingress (80, 443) on the agents; the web app is public by default. */
    ingressCidrs: list(networkCidr, {
      min: { value: 1, error: 'must name at least one network (0.0.0.0/0 for everyone)' },
      max: { value: 20, error: 'must name at most 20 networks: each adds 2 security group rules, and Neutron allows 100 per project by default' },
      repeat: 'Neutron refuses a second identical security group rule',
    }).default(['0.0.0.0/0']),
    /** Placement of nodes of one role: anti-affinity (hard, needs as many hypervisors) or soft-anti-affinity. */
    serverGroupPolicy: z.enum(['anti-affinity', 'soft-anti-affinity']).default('anti-affinity'),
    /** Explicit opt-in to allow 0.0.0.0/0 or ::/0 in adminCidrs. */
    allowWorldAccess: z.boolean().default(false),
    /** Boot from a Cinder volume of this many GiB instead of the flavor's disk (Cinder stores the size as int32). */
    bootVolumeSize: wholeNumber(1, { value: INT32_MAX, why: 'Cinder stores volume sizes as int32 GiB' }).optional(),
  })
  .superRefine(worldAccessNeedsOptIn);
