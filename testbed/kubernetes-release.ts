// Which Kubernetes release a k3s release ships, so the test bed and the schema checks run what the model deploys.
/** v1.31.4+k3s1 → v1.31.4. */
export function kubernetesVersion(k3sVersion: string): string {
  return k3sVersion.replace(/\+k3s\d+$/, '');
}
