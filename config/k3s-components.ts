// What a k3s release line bundles that wolke depends on besides Kubernetes itself: Traefik (whose CRDs the Middleware
// needs) and etcd. The one place that says so: the deploy role's pinned CRDs, the test bed and the schema checks read it.

/** What the k3s releases of one minor line bundle, as the release notes' "Embedded Component Versions" list it. */
export interface K3sLineComponents {
  /** The k3s release whose notes these versions are taken from. */
  readonly release: string;
  /** Traefik release of the bundled chart; its CRDs are the ones k3s installs (the traefik.io group from v3 on). */
  readonly traefik: string;
  /**
   * sha256 of the Traefik release's CRD file, docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml
   * (the same bytes in the github.com/traefik/traefik/v3 Go module and at the release tag).
   */
  readonly traefikCrdsSha256: string;
  /** Upstream etcd release of k3s's embedded etcd (k3s tags its fork vX.Y.Z-k3sN). */
  readonly etcd: string;
}

/** The Kubernetes release a k3s (or Kubernetes) version belongs to: v1.36.4+k3s1 → v1.36.4. */
export function kubernetesVersion(version: string): string {
  return version.replace(/\+k3s\d+$/, '').replace(/-rc\d+$/, '');
}

/** v1.36.4+k3s1 (or v1.36.4) → v1.36. */
export function minorLine(version: string): string {
  const match = /^v1\.(\d+)\./.exec(version);
  if (match === null) throw new Error(`not a k3s or Kubernetes release: '${version}'`);
  return `v1.${match[1]}`;
}

/**
 * The lines wolke has checked its manifests against, newest last. A patch release of a line bundles the same Traefik
 * major and CRDs; a new line is added here with the versions from its release notes.
 */
export const K3S_LINES: Readonly<Record<string, K3sLineComponents>> = {
  'v1.36': {
    release: 'v1.36.4+k3s1',
    traefik: 'v3.7.8',
    traefikCrdsSha256: '1d5e8558803804562238b0d4a57174aadd6d87c36e3c4c55199ebcc356a9406c',
    etcd: 'v3.6.14',
  },
};

/** The components of a k3s (or Kubernetes) release's line; an error naming the known lines for any other. */
export function k3sLineComponents(version: string): K3sLineComponents {
  const line = minorLine(version);
  const components = K3S_LINES[line];
  if (components === undefined) {
    throw new Error(
      `wolke does not know which Traefik and etcd k3s ${line} bundles (known: ${Object.keys(K3S_LINES).join(', ')}); add the line to config/k3s-components.ts from its release notes`,
    );
  }
  return components;
}
