// Storage of the test-bed cluster: k3s's default StorageClass, and a stand-in for its local-path provisioner.
//
// No provisioner can run without a kubelet, so this is a tiny binder loop (not pre-created PVs): for every claim of
// the class that the scheduler has given a node (WaitForFirstConsumer), it creates a hostPath PV of the requested
// size pinned to that node, as local-path-provisioner does; the real PV controller then binds the two. Released
// volumes are deleted, like the class's reclaim policy says.
import { join } from 'node:path';
import type { KubeApi } from './kube-api';

/** Name and provisioner of k3s's default class. */
export const STORAGE_CLASS = 'local-path';
export const PROVISIONER = 'rancher.io/local-path';
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';

/** The default StorageClass, as k3s installs it. */
export function storageClassObject(): Record<string, unknown> {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

/** The parts of a PersistentVolumeClaim the stand-in reads. */
export interface Claim {
  metadata: { name: string; namespace: string; uid: string; annotations?: Record<string, string> };
  spec: { storageClassName?: string; accessModes?: string[]; volumeMode?: string; resources?: { requests?: { storage?: string } } };
  status?: { phase?: string };
}

/** The PV for a claim the scheduler placed on `node` (undefined while it waits for its first consumer). */
export function volumeFor(claim: Claim, volumesDir: string): Record<string, unknown> | undefined {
  const node = claim.metadata.annotations?.[SELECTED_NODE];
  const size = claim.spec.resources?.requests?.storage;
  if (claim.status?.phase !== 'Pending' || claim.spec.storageClassName !== STORAGE_CLASS || !node || !size) return undefined;
  const name = `pvc-${claim.metadata.uid}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [PROVISIONED_BY]: PROVISIONER } },
    spec: {
      capacity: { storage: size },
      accessModes: claim.spec.accessModes ?? ['ReadWriteOnce'],
      volumeMode: claim.spec.volumeMode ?? 'Filesystem',
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: STORAGE_CLASS,
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid },
      // Nothing mounts it (kwok runs no containers); the path only says where local-path would have put it.
      hostPath: { path: join(volumesDir, `${name}_${claim.metadata.namespace}_${claim.metadata.name}`), type: 'DirectoryOrCreate' },
      nodeAffinity: {
        required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] },
      },
    },
  };
}

interface Volume {
  metadata: { name: string; annotations?: Record<string, string> };
  status?: { phase?: string };
}

/** Polls claims and volumes every `intervalMs` until stopped; errors (the API server stopping first) are retried. */
export function startVolumeStandIn(api: KubeApi, volumesDir: string, intervalMs = 500): { stop(): Promise<void> } {
  let stopped = false;
  const created = new Set<string>();
  const pass = async () => {
    const claims = await api.expect<{ items: Claim[] }>('GET', '/api/v1/persistentvolumeclaims');
    for (const claim of claims.items) {
      const volume = volumeFor(claim, volumesDir);
      const name = (volume?.metadata as { name: string } | undefined)?.name;
      if (!volume || !name || created.has(name)) continue;
      // 409: made by an earlier pass whose answer we did not see.
      await api.expect('POST', '/api/v1/persistentvolumes', volume, [409]);
      created.add(name);
    }
    const volumes = await api.expect<{ items: Volume[] }>('GET', '/api/v1/persistentvolumes');
    for (const volume of volumes.items) {
      if (volume.metadata.annotations?.[PROVISIONED_BY] !== PROVISIONER || volume.status?.phase !== 'Released') continue;
      await api.expect('DELETE', `/api/v1/persistentvolumes/${volume.metadata.name}`, undefined, [404]);
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await pass().catch(() => undefined);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
