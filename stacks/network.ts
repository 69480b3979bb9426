// The cluster network: a new network, subnet and router to the external network, or an existing network.
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { DataOpenstackNetworkingNetworkV2 } from '../.gen/providers/openstack/data-openstack-networking-network-v2';
import { DataOpenstackNetworkingSubnetV2 } from '../.gen/providers/openstack/data-openstack-networking-subnet-v2';
import { NetworkingNetworkV2 } from '../.gen/providers/openstack/networking-network-v2';
import { NetworkingSubnetV2 } from '../.gen/providers/openstack/networking-subnet-v2';
import { NetworkingRouterV2 } from '../.gen/providers/openstack/networking-router-v2';
import { NetworkingRouterInterfaceV2 } from '../.gen/providers/openstack/networking-router-interface-v2';
import type { Environment } from '../config/schema';

export interface ClusterNetworkProps {
  /** Prefix of every resource name, the environment name. */
  readonly namePrefix: string;
  /** Name of the external network floating IPs come from. */
  readonly externalNetwork: string;
  /** A CIDR for a new network, or the name of an existing one. */
  readonly network: Environment['openstack']['network'];
}

/** Network, subnet and (for a new network) router: what the nodes' ports attach to. */
export class ClusterNetwork extends Construct {
  /** Id of the network the nodes' ports are on. */
  readonly networkId: string;
  /** Id of the subnet the nodes' fixed IPs come from. */
  readonly subnetId: string;
  /** Id of the external network (floating IP pool). */
  readonly externalNetworkId: string;
  /**
   * What makes the external network reachable from the subnet (the router interface of a new network);
   * Neutron refuses a floating-IP association before it exists. Empty for an existing network.
   */
  readonly externalRoute: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ClusterNetworkProps) {
    super(scope, id);
    const external = new DataOpenstackNetworkingNetworkV2(this, 'external', { name: props.externalNetwork, external: true });
    this.externalNetworkId = external.id;

    if ('existing' in props.network) {
      const network = new DataOpenstackNetworkingNetworkV2(this, 'network', { name: props.network.existing });
      const subnet = new DataOpenstackNetworkingSubnetV2(this, 'subnet', {
        networkId: network.id,
        ...(props.network.subnet ? { name: props.network.subnet } : {}),
      });
      this.networkId = network.id;
      this.subnetId = subnet.id;
      this.externalRoute = [];
      return;
    }

    const network = new NetworkingNetworkV2(this, 'network', { name: `${props.namePrefix}-net`, adminStateUp: true });
    const subnet = new NetworkingSubnetV2(this, 'subnet', {
      name: `${props.namePrefix}-subnet`,
      networkId: network.id,
      cidr: props.network.cidr,
      ipVersion: props.network.cidr.includes(':') ? 6 : 4,
      dnsNameservers: props.network.dnsNameservers,
    });
    const router = new NetworkingRouterV2(this, 'router', {
      name: `${props.namePrefix}-router`,
      externalNetworkId: external.id,
    });
    const routerInterface = new NetworkingRouterInterfaceV2(this, 'router-interface', { routerId: router.id, subnetId: subnet.id });
    this.networkId = network.id;
    this.subnetId = subnet.id;
    this.externalRoute = [routerInterface];
  }
}
