// A pool of k3s nodes of one role: server group, and per node a floating IP, a port and a server.
import { Construct } from 'constructs';
import { DataResource, Fn, type ITerraformDependable } from 'cdktf';
import { ComputeInstanceV2 } from '../.gen/providers/openstack/compute-instance-v2';
import { ComputeServergroupV2 } from '../.gen/providers/openstack/compute-servergroup-v2';
import { NetworkingFloatingipV2 } from '../.gen/providers/openstack/networking-floatingip-v2';
import { NetworkingFloatingipAssociateV2 } from '../.gen/providers/openstack/networking-floatingip-associate-v2';
import { NetworkingPortV2 } from '../.gen/providers/openstack/networking-port-v2';
import type { PlannedNodeRef } from './preflight';
import type { HostKeys } from './host-keys';
import { networksMetadata, type ClusterNetworks } from '../scripts/preflight/cluster-networks';

export interface NodePoolProps {
  readonly namePrefix: string;
  /** server (control plane) or agent (worker). */
  readonly role: 'server' | 'agent';
  /** The pool's slots (wolke-<env>-<role>-<i>), in order. */
  readonly slots: string[];
  /** What each slot runs after this apply: the roll step the preflight decided. */
  readonly planned: (slot: string) => PlannedNodeRef;
  /** Boot from a volume (its size is part of the planned node); the flavor's disk when false. */
  readonly bootFromVolume: boolean;
  /** The nodes' SSH host keys, installed by cloud-init. */
  readonly hostKeys: HostKeys;
  /** Security group of this role. */
  readonly securityGroupId: string;
  readonly networkId: string;
  readonly subnetId: string;
  /** External network name, the floating IP pool. */
  readonly floatingIpPool: string;
  /** anti-affinity or soft-anti-affinity. */
  readonly serverGroupPolicy: string;
  /** What must exist before a floating IP can be associated (the router interface to the external network). */
  readonly externalRoute: ITerraformDependable[];
  /** What the servers need besides what they reference (the keypair the stack creates). */
  readonly serverDependsOn: ITerraformDependable[];
  /** The cluster's pod and Service networks, recorded on every server for the preflight to compare. */
  readonly clusterNetworks: ClusterNetworks;
}

/** A node as the rest of the stack sees it. */
export interface ClusterNode {
  readonly name: string;
  readonly serverId: string;
  readonly floatingIp: string;
  readonly privateIp: string;
  /** The floating-IP association: the node is reachable once it exists. */
  readonly association: ITerraformDependable;
}

/**
 * Servers are never changed in place: a node's name carries a hash of its spec, and the spec (versions, image id,
 * flavor, zone, keypair, volume) comes from the roll step, so a new spec creates a new server before the old one is
 * destroyed, one slot per apply. Floating IPs are separate resources re-associated to the new server's port, so a
 * node keeps its address across replacements.
 */
export class NodePool extends Construct {
  readonly nodes: ClusterNode[];
  readonly serverGroupId: string;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const group = new ComputeServergroupV2(this, 'group', {
      name: `${props.namePrefix}-${props.role}s`,
      policies: [props.serverGroupPolicy],
    });
    this.serverGroupId = group.id;

    this.nodes = props.slots.map((slot, i) => {
      const node = props.planned(slot);
      // Whatever replaces the server replaces its port too (a port attaches to one server at a time): the node name
      // covers the spec, the group id a new server group.
      const identity = new DataResource(this, `identity-${i}`, { input: { name: node.name, group: group.id } });
      const address = new NetworkingFloatingipV2(this, `address-${i}`, {
        pool: props.floatingIpPool,
        description: `${props.namePrefix} ${props.role} ${i}`,
      });
      const port = new NetworkingPortV2(this, `port-${i}`, {
        name: `${node.name}-port`,
        networkId: props.networkId,
        fixedIp: [{ subnetId: props.subnetId }],
        securityGroupIds: [props.securityGroupId],
        // A plain reference: Terraform's JSON syntax rejects an interpolation here.
        lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [`${identity.terraformResourceType}.${identity.friendlyUniqueId}`] },
      });
      const server = new ComputeInstanceV2(this, `server-${i}`, {
        name: node.name,
        flavorName: node.flavor,
        keyPair: node.keyPair,
        availabilityZone: node.availabilityZone,
        userData: userData(node, props.role, props.hostKeys),
        network: [{ port: port.id }],
        schedulerHints: [{ group: group.id }],
        metadata: {
          'wolke-role': props.role,
          'wolke-slot': slot,
          'wolke-k3s-version': node.k3sVersion,
          // What the roll reads back to keep a node as it is until its turn (scripts/preflight/roll.ts).
          'wolke-spec': Fn.jsonencode([node.k3sVersion, node.image, node.flavor, node.availabilityZone, node.keyPair, node.bootVolumeSize]),
          'wolke-image-id': node.imageId,
          // The networks the cluster runs on: the preflight refuses a model that moves a running cluster off them.
          'wolke-networks': networksMetadata(props.clusterNetworks),
        },
        ...(props.bootFromVolume
          ? {
              blockDevice: [
                {
                  uuid: node.imageId,
                  sourceType: 'image',
                  destinationType: 'volume',
                  volumeSize: node.bootVolumeSize,
                  bootIndex: 0,
                  deleteOnTermination: true,
                },
              ],
            }
          : { imageId: node.imageId }),
        dependsOn: props.serverDependsOn,
        lifecycle: { createBeforeDestroy: true },
      });
      // Neutron refuses the association until the subnet has a route to the external network; and on a
      // replacement the address moves to the new port only once the new server is ACTIVE (the provider waits for it).
      const association = new NetworkingFloatingipAssociateV2(this, `address-association-${i}`, {
        floatingIp: address.address,
        portId: port.id,
        dependsOn: [...props.externalRoute, server],
      });
      return {
        name: node.name,
        serverId: server.id,
        floatingIp: address.address,
        privateIp: Fn.element(port.allFixedIps, 0),
        association,
      };
    });
  }
}

/**
 * cloud-init user data: the node's name, its SSH host key (so the key Ansible expects is the one sshd offers from
 * the first boot) and a record of what it runs. OpenStack cannot change user data in place, so it is part of the
 * server's identity.
 */
function userData(node: PlannedNodeRef, role: 'server' | 'agent', hostKeys: HostKeys): string {
  const record = Fn.jsonencode({ name: node.name, role, k3sVersion: node.k3sVersion, image: node.image, imageId: node.imageId, flavor: node.flavor });
  return Fn.sensitive(
    Fn.join('', [
      '#cloud-config\n',
      Fn.yamlencode({
        hostname: node.name,
        preserve_hostname: false,
        ssh_deletekeys: true,
        ssh_genkeytypes: [],
        ssh_keys: { ed25519_private: hostKeys.privateKey(node.name), ed25519_public: hostKeys.publicKey(node.name) },
        write_files: [{ path: '/etc/wolke/node.json', permissions: '0644', content: record }],
      }),
    ]),
  );
}
