// What k3s installs into every cluster before any user manifest and the wolke manifests rely on: Traefik's CRDs
// (those of the Traefik release the k3s line bundles) and its `traefik` IngressClass. No Traefik runs: the objects are what matters.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeApi } from './kube-api';
import { waitUntil } from './process';

/** The IngressClass k3s's Traefik chart creates (the default class). */
export function traefikIngressClass(): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'traefik', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'traefik.io/ingress-controller' },
  };
}

interface Crd {
  kind?: string;
  metadata?: { name?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Creates Traefik's CRDs from its CRD definition file and waits until the API server serves every one. */
export async function installTraefik(api: KubeApi, crdFile: string): Promise<string[]> {
  const crds = parseAllDocuments(readFileSync(crdFile, 'utf8'))
    .map((d) => d.toJSON() as Crd | null)
    .filter((d): d is Crd => d?.kind === 'CustomResourceDefinition');
  if (crds.length === 0) throw new Error(`no CustomResourceDefinition in ${crdFile}`);
  for (const crd of crds) await api.expect('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd, [409]);
  await api.expect('POST', '/apis/networking.k8s.io/v1/ingressclasses', traefikIngressClass(), [409]);
  const names = crds.map((c) => c.metadata?.name ?? '');
  await waitUntil(
    `Traefik's ${crds.length} CRDs established`,
    async () => {
      const states = await Promise.all(
        names.map((n) => api.expect<Crd>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${n}`)),
      );
      return states.every((s) => s.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'));
    },
    { attempts: 120, intervalMs: 250 },
  );
  return names;
}
