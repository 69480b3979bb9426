// Kubeconfig files of the test-bed control plane: one per client certificate, pointing at the loopback API server.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** What a kubeconfig names: where the server is, the CA that signed it, and the client certificate to present. */
export interface KubeconfigInput {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  /** Name of the cluster, user and context inside the file. */
  name: string;
}

/** The kubeconfig as YAML; it refers to the PEM files by path, so it is only good on this machine. */
export function kubeconfigYaml(input: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: input.name, cluster: { server: input.server, 'certificate-authority': input.caCert } }],
    users: [{ name: input.name, user: { 'client-certificate': input.clientCert, 'client-key': input.clientKey } }],
    contexts: [{ name: input.name, context: { cluster: input.name, user: input.name } }],
    'current-context': input.name,
    preferences: {},
  });
}

/** Writes a kubeconfig readable by its owner only (it leads to a cluster-admin key) and returns its path. */
export function writeKubeconfig(file: string, input: KubeconfigInput): string {
  writeFileSync(file, kubeconfigYaml(input), { mode: 0o600 });
  return file;
}
