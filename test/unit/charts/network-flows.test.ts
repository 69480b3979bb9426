// The traffic matrix and the NetworkPolicies generated from it.
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';
import { TRAEFIK, namespaceWorkloads, networkFlows } from '../../../charts/network-flows';
import { workloadNetworkPolicy } from '../../../charts/network-policies';

const example = loadEnvironment('example', '');

describe('networkFlows', () => {
  const flows = networkFlows(example);
  const allowed = (from: string, to: string, port: number) => flows.some((f) => f.from === from && f.to === to && f.ports.includes(port));

  it('lets Traefik reach web and api, and nothing else of ours', () => {
    expect(flows.filter((f) => f.from === TRAEFIK).map((f) => f.to).sort()).toEqual(['api', 'web']);
  });

  it('lets only the processor, api, lake sink, report, minio and setup reach MinIO', () => {
    expect(flows.filter((f) => f.to === 'minio').map((f) => f.from).sort()).toEqual(['api', 'lake-sink', 'minio', 'processor', 'report', 'setup']);
  });

  it('keeps producer and aggregator away from MinIO and the web tier away from both stores', () => {
    expect(allowed('producer', 'minio', 9000)).toBe(false);
    expect(allowed('aggregator', 'minio', 9000)).toBe(false);
    expect(flows.some((f) => f.from === 'web')).toBe(false);
  });

  it('lets the brokers reach each other on the client and controller listeners', () => {
    expect(allowed('kafka', 'kafka', 9092) && allowed('kafka', 'kafka', 9093)).toBe(true);
    expect(allowed('api', 'kafka', 9093)).toBe(false);
  });

  it('adds the load generator only when the model enables it', () => {
    expect(namespaceWorkloads(flows)).not.toContain('loadgen');
    const withLoadgen = networkFlows({ ...example, apps: { ...example.apps, loadgen: { ...example.apps.loadgen, enabled: true } } });
    expect(withLoadgen).toContainEqual({ from: 'loadgen', to: 'api', ports: [8080] });
  });

  it('names every workload of the namespace once, without Traefik', () => {
    expect(namespaceWorkloads(flows)).toEqual(['aggregator', 'api', 'detector', 'kafka', 'lake-sink', 'minio', 'processor', 'producer', 'report', 'setup', 'web']);
  });
});

describe('workloadNetworkPolicy', () => {
  it('turns inbound flows into ingress rules and outbound flows into egress rules of the same workload', () => {
    const policy = workloadNetworkPolicy('api', networkFlows(example));
    expect(policy.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'api' } });
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toHaveLength(1);
    expect(policy.ingress?.[0].from?.[0].namespaceSelector?.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
    expect(policy.egress?.map((e) => e.to?.[0].podSelector?.matchLabels?.['app.kubernetes.io/name'])).toEqual(['kafka', 'minio']);
    expect(policy.egress?.[0].ports?.map((p) => [p.protocol, p.port?.value])).toEqual([['TCP', 9092]]);
  });

  it('gives a workload nobody calls no ingress list (its Ingress policy type then denies all inbound traffic)', () => {
    const policy = workloadNetworkPolicy('producer', networkFlows(example));
    // Not `[]`: the server drops an empty list, so the applied and the stored object would differ on every apply.
    expect(policy).not.toHaveProperty('ingress');
    expect(policy.policyTypes).toContain('Ingress');
    expect(policy.egress).toHaveLength(1);
  });
});
