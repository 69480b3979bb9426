// The variables the stack hands Ansible, rendered from the model (names match ansible/roles/*/defaults). Every name
// TypeScript and the roles share (labels, Secrets, paths, the HA rule) reaches the roles here, never as a literal of
// their own (test/unit/ansible/shared-variables.test.ts).
import { k3sLineComponents } from '../config/k3s-components';
import { isHighlyAvailable } from '../config/high-availability';
import { environmentPaths, fromPlaybookDir } from '../config/repository-paths';
import type { Environment } from '../config/schema';
import { ENVIRONMENT_LABEL, WORKER_SELECTOR } from '../charts/defaults';
import { GITOPS_FILE, gitopsName } from '../charts/gitops';

/** A value of the inventory's variables. */
export type AnsibleValue = string | number | boolean | readonly string[];

/** Labels k3s puts on every agent: the one the apps' pods select. */
export const AGENT_LABELS: readonly string[] = Object.entries(WORKER_SELECTOR).map(([key, value]) => `${key}=${value}`);

export interface AnsibleVarsContext {
  /** Address of the first server, written into the kubeconfig. */
  apiEndpoint: string;
  /** The known_hosts file the stack writes (relative to the repository root, as is the inventory). */
  knownHostsFile: string;
}

export function ansibleVars(env: Environment, ctx: AnsibleVarsContext): Record<string, AnsibleValue> {
  const airgap = env.cluster.airgap;
  return {
    wolke_environment: env.name,
    wolke_namespace: env.apps.namespace,
    wolke_environment_label: ENVIRONMENT_LABEL,
    wolke_ha: isHighlyAvailable(env.cluster.servers.count),
    wolke_manifests_dir: fromPlaybookDir(environmentPaths(env.name).manifests),
    k3s_agent_labels: AGENT_LABELS,
    k3s_version: env.cluster.k3sVersion,
    k3s_api_endpoint: ctx.apiEndpoint,
    k3s_flannel_backend: env.cluster.wireguard ? 'wireguard-native' : 'vxlan',
    k3s_cluster_cidr: env.cluster.podCidr,
    k3s_service_cidr: env.cluster.serviceCidr,
    // Host keys are known before the nodes boot (stacks/host-keys.ts): anything else is refused.
    ansible_ssh_common_args: `-o StrictHostKeyChecking=yes -o UserKnownHostsFile={{ inventory_dir }}/${ctx.knownHostsFile.split('/').pop()}`,
    wolke_traefik_bundled: env.cluster.traefik,
    // With GitOps on, the deploy applies only Argo CD's Application (in this file of the manifests folder).
    wolke_gitops: env.gitops.enabled,
    // With monitoring on, the deploy also creates the monitoring namespace and Grafana's admin Secret.
    wolke_monitoring: env.monitoring.enabled,
    ...(env.gitops.enabled
      ? { deploy_gitops_file: GITOPS_FILE, deploy_gitops_application: gitopsName(env), deploy_gitops_namespace: env.gitops.argocdNamespace }
      : {}),
    // Without the bundled Traefik the deploy applies the CRDs of the Traefik release this k3s line bundles.
    ...(env.cluster.traefik
      ? {}
      : {
          deploy_traefik_version: k3sLineComponents(env.cluster.k3sVersion).traefik,
          deploy_traefik_crds_sha256: k3sLineComponents(env.cluster.k3sVersion).traefikCrdsSha256,
        }),
    ...(airgap
      ? {
          k3s_airgap: true,
          k3s_airgap_binary_src: airgap.binary.path ?? airgap.binary.url ?? '',
          k3s_airgap_binary_sha256: airgap.binary.sha256,
          k3s_airgap_images_src: airgap.images.path ?? airgap.images.url ?? '',
          k3s_airgap_images_sha256: airgap.images.sha256,
        }
      : { k3s_airgap: false }),
  };
}
