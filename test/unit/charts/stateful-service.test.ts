// The StatefulService construct on its own: its Services publish the named ports, each pod keeps its volumes, and the
// pod is as hardened as every other wolke workload.
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { RESOURCES, tcpProbe } from '../../../charts/defaults';
import { StatefulService, type StatefulServiceProps } from '../../../charts/stateful-service';
import { environment } from '../../support/environments';

const env = environment();

function synth(overrides: Partial<StatefulServiceProps> = {}): any[] {
  const chart = Testing.chart();
  new StatefulService(chart, 'store', {
    env,
    name: 'store',
    headlessServiceName: 'store-headless',
    replicas: 3,
    image: { image: 'registry.example.com/wolke/store', version: '1.0.0' },
    user: 10001,
    ports: { peer: 7000, client: 7001, metrics: 7002 },
    headlessPorts: ['peer'],
    clientPorts: ['client'],
    readinessProbe: tcpProbe(7001, 3),
    livenessProbe: tcpProbe(7000, 6),
    resources: RESOURCES.minio,
    persistentVolumes: [
      { name: 'data', mountPath: '/data', storage: '10Gi' },
      { name: 'queue', mountPath: '/queue', storage: '1Gi' },
    ],
    ...overrides,
  });
  return Testing.synth(chart);
}

const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

describe('StatefulService', () => {
  it('publishes the members\' ports on the headless Service (before readiness) and the clients\' on the client Service', () => {
    const [headless, client] = byKind(synth(), 'Service');
    expect(headless.metadata.name).toBe('store-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports).toEqual([{ name: 'peer', port: 7000, targetPort: 'peer', protocol: 'TCP' }]);
    expect(client.metadata.name).toBe('store');
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.ports).toEqual([{ name: 'client', port: 7001, targetPort: 'client', protocol: 'TCP' }]);
    expect(client.spec.selector).toEqual(headless.spec.selector);
  });

  it('runs the pods in parallel behind the headless Service, with every port of the container, the metrics one too', () => {
    const [set] = byKind(synth(), 'StatefulSet');
    expect(set.spec).toMatchObject({ serviceName: 'store-headless', replicas: 3, podManagementPolicy: 'Parallel' });
    const container = set.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.example.com/wolke/store:1.0.0');
    expect(container.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['peer', 7000], ['client', 7001], ['metrics', 7002]]);
    expect(container).not.toHaveProperty('command');
    expect(container).not.toHaveProperty('args');
  });

  it('gives each pod a claim per persistent volume, mounted before the extra and scratch volumes', () => {
    const [set] = byKind(synth({ volumes: [{ name: 'config', configMap: { name: 'store' } }], volumeMounts: [{ name: 'config', mountPath: '/config', readOnly: true }] }), 'StatefulSet');
    expect(set.spec.volumeClaimTemplates.map((c: any) => [c.metadata.name, c.spec.resources.requests.storage])).toEqual([['data', '10Gi'], ['queue', '1Gi']]);
    const container = set.spec.template.spec.containers[0];
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/data', '/queue', '/config', '/tmp']);
    expect(set.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['config', 'tmp']);
  });

  it('hardens the pod: no token, no service links, non-root user owning the volumes, read-only root, on the agents', () => {
    const [set] = byKind(synth({ user: 4242 }), 'StatefulSet');
    const pod = set.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 4242, fsGroup: 4242 });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.nodeSelector).toEqual({ nodepool: 'worker' });
  });

  it('lets a drain evict one pod at a time, and carries the pod annotations given', () => {
    const objects = synth({ podAnnotations: { 'wolke.dev/config-sha256': 'abc' } });
    const [pdb] = byKind(objects, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(byKind(objects, 'StatefulSet')[0].spec.template.metadata.annotations).toEqual({ 'wolke.dev/config-sha256': 'abc' });
  });
});
