import { describe, expect, it } from 'vitest';
import { existingSubnetOverlaps, networkChanges, networksMetadata, recordedNetworks, type NetworkedNode } from '../../../../scripts/preflight/cluster-networks';

const defaults = { podCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16' };
const moved = { podCidr: '10.52.0.0/16', serviceCidr: '10.53.0.0/16' };
const cluster = (networks: NetworkedNode['networks'], count = 3): NetworkedNode[] =>
  Array.from({ length: count }, (_, i) => ({ name: `wolke-example-${i === 0 ? 'server' : 'agent'}-${i}-0123abcd`, networks }));

describe('recordedNetworks', () => {
  it('reads back what a server records', () => {
    expect(recordedNetworks(networksMetadata(moved))).toEqual(moved);
  });

  it("takes k3s's defaults for a server created before wolke recorded them", () => {
    expect(recordedNetworks(undefined)).toEqual(defaults);
  });

  it('is undefined for an unreadable record', () => {
    expect(recordedNetworks('10.42.0.0/16')).toBeUndefined();
    expect(recordedNetworks('[42, null]')).toBeUndefined();
  });
});

describe('networkChanges', () => {
  it('lets a first deploy take any networks: no cluster runs yet', () => {
    expect(networkChanges([], moved)).toEqual([]);
  });

  it('lets a cluster keep its networks', () => {
    expect(networkChanges(cluster(moved), moved)).toEqual([]);
  });

  it('refuses to move a running cluster to another pod network, naming the path and the way out', () => {
    expect(networkChanges(cluster(defaults), { ...defaults, podCidr: '10.52.0.0/16' })).toEqual([
      "cluster.podCidr changes from 10.42.0.0/16 to 10.52.0.0/16, but the cluster runs on it (wolke-example-server-0-0123abcd, wolke-example-agent-1-0123abcd, wolke-example-agent-2-0123abcd): k3s cannot move a running cluster's pods' network; put the old value back, or destroy the environment (`npx cdktf destroy`) and deploy it anew",
    ]);
  });

  it('refuses both networks at once, and shortens a long list of nodes', () => {
    const problems = networkChanges(cluster(defaults, 5), moved);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^cluster\.podCidr changes from 10\.42\.0\.0\/16 to 10\.52\.0\.0\/16, but the cluster runs on it \(.* and 2 more\)/);
    expect(problems[1]).toMatch(/^cluster\.serviceCidr changes from 10\.43\.0\.0\/16 to 10\.53\.0\.0\/16, .*Services' network/);
  });

  it('refuses when a server of the cluster records no readable networks', () => {
    expect(networkChanges([...cluster(defaults, 1), { name: 'wolke-example-agent-0-ffff0000', networks: undefined }], defaults)).toEqual([
      "no readable wolke-networks metadata on wolke-example-agent-0-ffff0000, so the cluster's pod and Service networks are unknown; put the old value back, or destroy the environment (`npx cdktf destroy`) and deploy it anew",
    ]);
  });
});

describe('existingSubnetOverlaps', () => {
  it('accepts an existing network whose subnets are clear of the pod and Service networks, IPv6 ones included', () => {
    expect(existingSubnetOverlaps('shared-net', [{ name: 'v4', cidr: '10.20.0.0/24' }, { name: 'v6', cidr: 'fd00:42::/64' }], defaults)).toEqual([]);
  });

  it('refuses a subnet in the pod or Service network, naming the subnet, the model paths and the way out', () => {
    expect(existingSubnetOverlaps('shared-net', [{ name: 'ok', cidr: '192.168.0.0/24' }, { name: 'wide', cidr: '10.0.0.0/8' }], defaults)).toEqual([
      `subnet "wide" (10.0.0.0/8) of openstack.network.existing "shared-net" overlaps cluster.podCidr (10.42.0.0/16), k3s's pod network (its cluster-cidr): the nodes would route their neighbours' addresses into the cluster; attach the nodes to another network, or move cluster.podCidr`,
      `subnet "wide" (10.0.0.0/8) of openstack.network.existing "shared-net" overlaps cluster.serviceCidr (10.43.0.0/16), k3s's Service network (its service-cidr): the nodes would route their neighbours' addresses into the cluster; attach the nodes to another network, or move cluster.serviceCidr`,
    ]);
  });
});
