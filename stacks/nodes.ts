// A pool of k3s nodes of one role: server group, and per node a floating IP, a port and a server.
import { Construct } from 'constructs';
import { DataResource, Fn, type ITerraformDependable } from 'cdktf';
import { ComputeInstanceV2 } from '../.gen/providers/openstack/compute-instance-v2';
import { ComputeServergroupV2 } from '../.gen/providers/openstack/compute-servergroup-v2';
import { NetworkingFloatingipV2 } from '../.gen/providers/openstack/networking-floatingip-v2';
import { NetworkingFloatingipAssociateV2 } from '../.gen/providers/openstack/networking-floatingip-associate-v2';
import { NetworkingPortV2 } from '../.gen/providers/openstack/networking-port-v2';
import { nodeName, userData, versionHash, type NodeVersions } from './node-identity';

export interface NodePoolProps {
  readonly namePrefix: string;
  /** server (control plane) or agent (worker). */
  readonly role: 'server' | 'agent';
  /** How many nodes. */
  readonly count: number;
  /** k3s version, image and flavor: a change replaces every node of the pool. */
  readonly versions: NodeVersions;
  /** Id of the image the nodes boot (resolved from the name by the stack). */
  readonly imageId: string;
  /** Availability zones, used round robin. */
  readonly availabilityZones: string[];
  /** Name of the keypair injected into the nodes. */
  readonly keyPair: string;
  /** Security group of this role. */
  readonly securityGroupId: string;
  readonly networkId: string;
  readonly subnetId: string;
  /** External network name, the floating IP pool. */
  readonly floatingIpPool: string;
  /** anti-affinity or soft-anti-affinity. */
  readonly serverGroupPolicy: string;
  /** Boot from a volume of this many GiB; the flavor's disk when unset. */
  readonly bootVolumeSize?: number;
  /** What must exist before a floating IP can be associated (the router interface to the external network). */
  readonly externalRoute: ITerraformDependable[];
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
 * Servers are never changed in place: their names and user data carry the versions, so a new version
 * creates new servers (before the old ones are destroyed). Floating IPs are separate resources that
 * are re-associated to the new server's port, so a node keeps its address across replacements.
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

    this.nodes = Array.from({ length: props.count }, (_, i) => {
      const name = nodeName(props.namePrefix, props.role, i, props.versions);
      // Ports are replaced together with their server (a port attaches to one server at a time).
      const version = new DataResource(this, `version-${i}`, { input: { hash: versionHash(props.versions) } });
      const address = new NetworkingFloatingipV2(this, `address-${i}`, {
        pool: props.floatingIpPool,
        description: `${props.namePrefix} ${props.role} ${i}`,
      });
      const port = new NetworkingPortV2(this, `port-${i}`, {
        name: `${name}-port`,
        networkId: props.networkId,
        fixedIp: [{ subnetId: props.subnetId }],
        securityGroupIds: [props.securityGroupId],
        // A plain reference: Terraform's JSON syntax rejects an interpolation here.
        lifecycle: { createBeforeDestroy: true, replaceTriggeredBy: [`${version.terraformResourceType}.${version.friendlyUniqueId}`] },
      });
      const server = new ComputeInstanceV2(this, `server-${i}`, {
        name,
        flavorName: props.versions.flavor,
        keyPair: props.keyPair,
        availabilityZone: props.availabilityZones[i % props.availabilityZones.length],
        userData: userData(name, props.role, props.versions),
        network: [{ port: port.id }],
        schedulerHints: [{ group: group.id }],
        metadata: { 'wolke-role': props.role, 'wolke-k3s-version': props.versions.k3sVersion },
        ...(props.bootVolumeSize === undefined
          ? { imageId: props.imageId }
          : {
              blockDevice: [
                {
                  uuid: props.imageId,
                  sourceType: 'image',
                  destinationType: 'volume',
                  volumeSize: props.bootVolumeSize,
                  bootIndex: 0,
                  deleteOnTermination: true,
                },
              ],
            }),
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
        name,
        serverId: server.id,
        floatingIp: address.address,
        privateIp: Fn.element(port.allFixedIps, 0),
        association,
      };
    });
  }
}
