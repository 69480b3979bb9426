// The pod and Service networks in the model: defaults, their own bounds, and every overlap refused at its path.
import { describe, expect, it } from 'vitest';
import { environment, rejectionOf as errors } from '../../support/environments';

describe('cluster.podCidr and cluster.serviceCidr', () => {
  it("default to k3s's own networks, which the example's node subnet is clear of", () => {
    const env = environment();
    expect(env.cluster.podCidr).toBe('10.42.0.0/16');
    expect(env.cluster.serviceCidr).toBe('10.43.0.0/16');
    expect(env.openstack.network).toMatchObject({ cidr: '10.20.0.0/24' });
  });

  it('take other networks, and a node subnet in the default pod network once the pods moved away', () => {
    const env = environment((raw) => {
      raw.cluster.podCidr = '172.16.0.0/16';
      raw.cluster.serviceCidr = '172.17.0.0/20';
      raw.openstack.network.cidr = '10.42.0.0/24';
    });
    expect(env.cluster.podCidr).toBe('172.16.0.0/16');
    expect(env.cluster.serviceCidr).toBe('172.17.0.0/20');
  });

  it('allow an admin or ingress network that holds a cluster network: the rest of it still reaches the nodes', () => {
    const env = environment((raw) => {
      raw.openstack.adminCidrs = ['10.0.0.0/8'];
      raw.openstack.ingressCidrs = ['10.0.0.0/8', '0.0.0.0/0'];
    });
    expect(env.openstack.adminCidrs).toEqual(['10.0.0.0/8']);
  });

  it.each([
    ['a pod network in IPv6', (r: any) => (r.cluster.podCidr = 'fd00:42::/56'), "cluster.podCidr: must be an IPv4 CIDR such as 10.42.0.0/16: wolke's nodes have IPv4 addresses only, and a dual-stack cluster needs IPv6 node addresses too"],
    ['a pod network with host bits', (r: any) => (r.cluster.podCidr = '10.42.1.0/16'), 'cluster.podCidr: has bits set after the /16 prefix; write 10.42.0.0/16, or a longer prefix if you meant a smaller network'],
    ['a pod network smaller than one node range', (r: any) => (r.cluster.podCidr = '10.42.0.0/25'), 'cluster.podCidr: must be a /24 or larger: k3s gives every node a /24 of the pod network (got /25)'],
    ['a pod network larger than Kubernetes divides', (r: any) => (r.cluster.podCidr = '10.0.0.0/7'), 'cluster.podCidr: must be a /8 or smaller: Kubernetes divides the pod network into at most 65536 node ranges of /24 and refuses a larger one (got /7)'],
    ['a pod network in link-local', (r: any) => (r.cluster.podCidr = '169.254.0.0/16'), 'cluster.podCidr: overlaps 169.254.0.0/16, the link-local range where OpenStack serves the metadata cloud-init reads; choose another range such as 10.42.0.0/16'],
    ['a Service network larger than kube-apiserver takes', (r: any) => (r.cluster.serviceCidr = '10.0.0.0/11'), 'cluster.serviceCidr: must be a /12 or smaller: kube-apiserver refuses a larger Service network (got /11)'],
    ['a Service network too small for the Services', (r: any) => (r.cluster.serviceCidr = '10.43.0.0/28'), expect.stringMatching(/^cluster\.serviceCidr: must be a \/24 or larger: .* \(got \/28\)$/)],
    ['a Service network in loopback', (r: any) => (r.cluster.serviceCidr = '127.0.0.0/16'), 'cluster.serviceCidr: overlaps 127.0.0.0/8, the loopback range; choose another range such as 10.43.0.0/16'],
    ['a Service network inside the pod network', (r: any) => (r.cluster.serviceCidr = '10.42.128.0/20'), 'cluster.serviceCidr: overlaps cluster.podCidr (10.42.0.0/16): k3s would hand the same addresses to pods and Services; choose networks that do not overlap, such as 10.42.0.0/16 and 10.43.0.0/16'],
    ['a pod network around the Service network', (r: any) => (r.cluster.podCidr = '10.32.0.0/12'), 'cluster.serviceCidr: overlaps cluster.podCidr (10.32.0.0/12): k3s would hand the same addresses to pods and Services; choose networks that do not overlap, such as 10.42.0.0/16 and 10.43.0.0/16'],
    ['a node subnet in the pod network', (r: any) => (r.openstack.network.cidr = '10.42.0.0/24'), "openstack.network.cidr: overlaps cluster.podCidr (10.42.0.0/16), k3s's pod network (its cluster-cidr): the nodes would route their neighbours' addresses into the cluster; choose another range such as 10.20.0.0/24, or move cluster.podCidr"],
    ['a pod network around the node subnet', (r: any) => (r.cluster.podCidr = '10.16.0.0/12'), "openstack.network.cidr: overlaps cluster.podCidr (10.16.0.0/12), k3s's pod network (its cluster-cidr): the nodes would route their neighbours' addresses into the cluster; choose another range such as 10.20.0.0/24, or move cluster.podCidr"],
    ['a Service network on the node subnet', (r: any) => (r.cluster.serviceCidr = '10.20.0.0/24'), "openstack.network.cidr: overlaps cluster.serviceCidr (10.20.0.0/24), k3s's Service network (its service-cidr): the nodes would route their neighbours' addresses into the cluster; choose another range such as 10.20.0.0/24, or move cluster.serviceCidr"],
    ['an admin network inside the pod network', (r: any) => (r.openstack.adminCidrs = ['192.0.2.0/24', '10.42.7.0/24']), "openstack.adminCidrs.1: lies within cluster.podCidr (10.42.0.0/16), k3s's pod network (its cluster-cidr): the nodes send their answers to that range into the cluster, so it never reaches SSH and the Kubernetes API; move cluster.podCidr to a range clear of it"],
    ['an admin network that is the Service network', (r: any) => (r.openstack.adminCidrs = ['10.43.0.0/16']), "openstack.adminCidrs.0: lies within cluster.serviceCidr (10.43.0.0/16), k3s's Service network (its service-cidr): the nodes send their answers to that range into the cluster, so it never reaches SSH and the Kubernetes API; move cluster.serviceCidr to a range clear of it"],
    ['an ingress network inside a moved pod network', (r: any) => { r.cluster.podCidr = '198.18.0.0/15'; r.openstack.ingressCidrs = ['198.19.0.0/16']; }, "openstack.ingressCidrs.0: lies within cluster.podCidr (198.18.0.0/15), k3s's pod network (its cluster-cidr): the nodes send their answers to that range into the cluster, so it never reaches the web ingress; move cluster.podCidr to a range clear of it"],
    ['a pod network too small for a roll', (r: any) => (r.cluster.podCidr = '10.42.0.0/23'), 'cluster.podCidr: holds 2 node ranges (a /24 each), and 3 nodes need 6 (a replacement node gets its range before the old one is deleted); use a larger network such as a /16'],
  ])('refuses %s with its path', (_, patch, line) => {
    expect(errors(patch)).toEqual([line]);
  });
});
