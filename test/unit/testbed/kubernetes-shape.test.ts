// The Kubernetes test bed's pure parts: nodes shaped like an environment's, the storage stand-in, certificate subjects.
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';
import { flavor } from '../../../testbed/flavors';
import { ansibleNodeShape, environmentNodes, nodeObject, nodeResources, parseTaint } from '../../../testbed/kubernetes-nodes';
import { serverAltNames, subject } from '../../../testbed/kubernetes-pki';
import { storageClassObject, volumeFor, type Claim } from '../../../testbed/kubernetes-storage';

const example = loadEnvironment('example', '');

describe('test-bed nodes', () => {
  it('are the servers and agents of the environment, named as the cluster stack names the servers', () => {
    const nodes = environmentNodes(example);
    expect(nodes.map((n) => [n.role, n.flavor])).toEqual([
      ['server', 'm1.medium'],
      ['agent', 'm1.xlarge'],
      ['agent', 'm1.xlarge'],
    ]);
    expect(nodes[0]!.name).toMatch(/^wolke-example-server-0-[0-9a-f]{8}$/);
    expect(new Set(nodes.map((n) => n.name)).size).toBe(3);
  });

  it('carry the taint and labels the Ansible roles give real nodes, and kwok annotation without its taint', () => {
    const shape = ansibleNodeShape();
    const server = nodeObject({ name: 's', role: 'server', flavor: 'm1.medium' }, shape, 'v1.31.4') as {
      metadata: { annotations: Record<string, string>; labels: Record<string, string> };
      spec: { taints?: unknown[] };
    };
    const agent = nodeObject({ name: 'a', role: 'agent', flavor: 'm1.large' }, shape, 'v1.31.4') as typeof server;
    expect(server.spec.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(server.metadata.labels.nodepool).toBeUndefined();
    expect(agent.spec.taints).toBeUndefined();
    expect(agent.metadata.labels.nodepool).toBe('worker');
    expect(agent.metadata.annotations).toEqual({ 'kwok.x-k8s.io/node': 'fake' });
  });

  it("have the flavor's CPU and memory, less the kubelet's eviction reserve in allocatable memory", () => {
    expect(flavor('m1.large')).toEqual({ vcpus: 4, ramMiB: 8192, diskGiB: 80 });
    const large = nodeResources('m1.large');
    expect(large.capacity).toMatchObject({ cpu: '4', memory: '8192Mi', pods: '110' });
    expect(large.allocatable).toMatchObject({ cpu: '4', memory: '8092Mi' });
    expect(nodeResources('m1.medium').capacity).toMatchObject({ cpu: '2', memory: '4096Mi' });
    expect(() => nodeResources('m1.huge')).toThrow('unknown flavor m1.huge; the test bed knows m1.tiny, m1.small, m1.medium, m1.large, m1.xlarge');
  });

  it('parses taints as k3s --node-taint writes them', () => {
    expect(parseTaint('dedicated=db:NoExecute')).toEqual({ key: 'dedicated', value: 'db', effect: 'NoExecute' });
    expect(() => parseTaint('no-effect')).toThrow('not a taint');
  });
});

describe('storage stand-in', () => {
  const claim = (annotations: Record<string, string> = {}, phase = 'Pending'): Claim => ({
    metadata: { name: 'data-kafka-0', namespace: 'wolke', uid: '1234', annotations },
    spec: { storageClassName: 'local-path', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    status: { phase },
  });

  it('is the default class, bound when the first consumer is scheduled, like k3s local-path', () => {
    expect(storageClassObject()).toMatchObject({
      metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  });

  it('makes a volume of the requested size pinned to the node the scheduler picked, claimed by that claim', () => {
    expect(volumeFor(claim(), '/tmp/v')).toBeUndefined();
    expect(volumeFor(claim({ 'volume.kubernetes.io/selected-node': 'agent-1' }, 'Bound'), '/tmp/v')).toBeUndefined();
    const volume = volumeFor(claim({ 'volume.kubernetes.io/selected-node': 'agent-1' }), '/tmp/v') as {
      metadata: { name: string };
      spec: { capacity: { storage: string }; claimRef: { uid: string }; nodeAffinity: unknown };
    };
    expect(volume.metadata.name).toBe('pvc-1234');
    expect(volume.spec.capacity.storage).toBe('10Gi');
    expect(volume.spec.claimRef.uid).toBe('1234');
    expect(JSON.stringify(volume.spec.nodeAffinity)).toContain('"values":["agent-1"]');
  });
});

describe('test-bed PKI', () => {
  it('puts groups in O and the user in CN', () => {
    expect(subject('kwok', ['system:masters'])).toBe('/O=system:masters/CN=kwok');
    expect(subject('system:kube-scheduler', [])).toBe('/CN=system:kube-scheduler');
  });

  it('serves the API under loopback and the in-cluster names of the kubernetes Service', () => {
    const names = serverAltNames('10.43.0.1');
    expect(names).toContain('IP:127.0.0.1');
    expect(names).toContain('IP:10.43.0.1');
    expect(names).toContain('DNS:kubernetes.default.svc.cluster.local');
  });
});
