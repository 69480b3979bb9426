// Which Kubernetes, Traefik and etcd a k3s release ships, so the test bed and the schema checks run what the model
// deploys; run by hand it prints them as shell assignments for testbed/kubernetes-build.sh and k8s-tools.sh.
import { loadEnvironment } from '../config/load';
import { k3sLineComponents, kubernetesVersion } from '../config/k3s-components';

export { kubernetesVersion } from '../config/k3s-components';

/** The versions the test bed builds for a k3s (or Kubernetes) release, as `NAME=value` lines. */
export function releaseLines(version: string): string[] {
  const { traefik, traefikCrdsSha256, etcd } = k3sLineComponents(version);
  return [
    `KUBERNETES_VERSION=${kubernetesVersion(version)}`,
    `TRAEFIK_VERSION=${traefik}`,
    `TRAEFIK_CRDS_SHA256=${traefikCrdsSha256}`,
    `ETCD_VERSION=${etcd}`,
  ];
}

if (require.main === module) {
  // Without an argument: the release the example environment's k3s ships.
  const version = process.argv[2] || loadEnvironment('example', '').cluster.k3sVersion;
  try {
    console.log(releaseLines(version).join('\n'));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
