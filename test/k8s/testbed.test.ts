// The test-bed cluster itself: the release the model's k3s ships, nodes shaped like the example's, k3s's add-ons.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { canonicalQuantity } from '../../charts/quantity';
import { k3sLineComponents } from '../../config/k3s-components';
import { loadEnvironment } from '../../config/load';
import { flavor } from '../../testbed/flavors';
import { ensureKubernetesBinaries } from '../../testbed/kubernetes-binaries';
import { kubernetesVersion } from '../../testbed/kubernetes-release';
import { kubectl, kubectlJson, type KubeObject } from '../support/kubectl';
import { eventually } from '../support/wait';

const env = loadEnvironment('example', '');
const { nodes } = inject('kubernetes');

interface Node extends KubeObject {
  spec: { taints?: { key: string; effect: string }[] };
  status: { capacity: Record<string, string>; allocatable: Record<string, string>; conditions: { type: string; status: string }[] };
}

describe('the test-bed cluster', () => {
  it("runs the Kubernetes release the example's k3s ships, and kubectl is the same release", () => {
    const version = kubectlJson<{ clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string; minor: string } }>(['version']);
    const expected = kubernetesVersion(env.cluster.k3sVersion);
    expect(version.serverVersion.gitVersion).toBe(expected);
    expect(version.serverVersion.minor).toBe(expected.split('.')[1]);
    expect(version.clientVersion.gitVersion).toBe(expected);
  });

  it("has the example's servers and agents: taint, label, the flavor's CPU and memory, Ready", () => {
    const listed = kubectlJson<{ items: Node[] }>(['get', 'nodes']).items;
    expect(listed.map((n) => n.metadata.name).sort()).toEqual(nodes.map((n) => n.name).sort());
    expect(nodes.filter((n) => n.role === 'server')).toHaveLength(env.cluster.servers.count);
    expect(nodes.filter((n) => n.role === 'agent')).toHaveLength(env.cluster.agents.count);
    for (const node of nodes) {
      const seen = listed.find((n) => n.metadata.name === node.name)!;
      const f = flavor(node.flavor);
      expect(seen.status.capacity.cpu, node.name).toBe(String(f.vcpus));
      expect(seen.status.capacity.memory, node.name).toBe(canonicalQuantity(`${f.ramMiB}Mi`));
      expect(seen.status.allocatable.cpu, node.name).toBe(String(f.vcpus));
      expect(seen.status.conditions.find((c) => c.type === 'Ready')?.status, node.name).toBe('True');
      expect(seen.metadata.annotations?.['kwok.x-k8s.io/node']).toBe('fake');
      const taints = (seen.spec.taints ?? []).map((t) => `${t.key}:${t.effect}`);
      if (node.role === 'server') {
        expect(taints).toEqual(['node-role.kubernetes.io/control-plane:NoSchedule']);
        expect(seen.metadata.labels?.nodepool).toBeUndefined();
      } else {
        expect(taints).toEqual([]);
        expect(seen.metadata.labels?.nodepool).toBe('worker');
      }
    }
  });

  it("serves Traefik's CRDs and has k3s's default IngressClass and StorageClass", () => {
    const resources = kubectl(['api-resources', '--api-group=traefik.io', '-o', 'name']);
    expect(resources.status).toBe(0);
    expect(resources.stdout.split('\n')).toContain('middlewares.traefik.io');
    const classes = kubectlJson<{ items: KubeObject[] }>(['get', 'storageclass']).items;
    expect(classes.map((c) => [c.metadata.name, c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']])).toEqual([
      ['local-path', 'true'],
    ]);
    expect(kubectl(['get', 'ingressclass', 'traefik', '-o', 'name']).stdout.trim()).toBe('ingressclass.networking.k8s.io/traefik');
  });

  it("installs the CRDs of the Traefik release the model's k3s line bundles: Traefik 3, without the traefik.containo.us group", () => {
    const { traefik } = k3sLineComponents(env.cluster.k3sVersion);
    expect(ensureKubernetesBinaries().traefikCrds).toContain(`/github.com/traefik/traefik/${traefik.split('.')[0]}@${traefik}/`);
    const listed = kubectl(['api-versions']);
    expect(listed.status, listed.stderr).toBe(0);
    const versions = listed.stdout.trim().split('\n');
    expect(versions).toContain('traefik.io/v1alpha1');
    expect(versions.filter((v) => v.includes('containo'))).toEqual([]);
  });

  describe('a claim of the default class', () => {
    const namespace = 'testbed-storage';
    afterAll(() => {
      kubectl(['delete', 'namespace', namespace, '--wait=false']);
    });

    it('is bound to a volume on the node the scheduler picked once a pod uses it', async () => {
      const manifest = {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
          {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: 'data', namespace },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'user', namespace },
            spec: {
              nodeSelector: { nodepool: 'worker' },
              containers: [{ name: 'user', image: 'example.invalid/user:1', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
              volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
            },
          },
        ],
      };
      const applied = kubectl(['apply', '-f', '-'], JSON.stringify(manifest));
      expect(applied.status, applied.stderr).toBe(0);
      let claim: KubeObject | undefined;
      let pod: KubeObject | undefined;
      await eventually(
        'claim bound and pod running',
        () => {
          claim = kubectlJson<KubeObject>(['-n', namespace, 'get', 'pvc', 'data']);
          pod = kubectlJson<KubeObject>(['-n', namespace, 'get', 'pod', 'user']);
          return claim.status?.phase === 'Bound' && pod.status?.phase === 'Running';
        },
        { timeoutMs: 60_000, describe: () => JSON.stringify({ claim: claim?.status, pod: pod?.status }) },
      );
      expect(claim?.spec?.storageClassName).toBe('local-path');
      const volume = kubectlJson<{ spec: { nodeAffinity: unknown } }>(['get', 'pv', String(claim?.spec?.volumeName)]);
      expect(JSON.stringify(volume.spec.nodeAffinity)).toContain(String(pod?.spec?.nodeName));
      expect(nodes.find((n) => n.name === pod?.spec?.nodeName)?.role).toBe('agent');
    });
  });
});
