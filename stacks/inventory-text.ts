// Renders the Ansible inventory (YAML) that Terraform writes next to the playbooks; pure, unit-tested.
import { stringify } from 'yaml';

/** One node as Ansible sees it. */
export interface InventoryHost {
  /** Node name, also the Kubernetes node name. */
  name: string;
  /** Address Ansible connects to (the floating IP). */
  floatingIp: string;
  /** Address on the cluster network; k3s binds to it. */
  privateIp: string;
}

export interface InventoryInput {
  servers: InventoryHost[];
  agents: InventoryHost[];
  /** Login user of the image. */
  sshUser: string;
  /** Extra variables for every host (e.g. the k3s version), written under k3s_cluster.vars. */
  vars?: Record<string, unknown>;
}

function hostVars(host: InventoryHost, sshUser: string) {
  return {
    ansible_host: host.floatingIp,
    ansible_user: sshUser,
    private_ip: host.privateIp,
    floating_ip: host.floatingIp,
    node_name: host.name,
  };
}

/**
 * The inventory in the layout of k3s-ansible: group `k3s_cluster` with children `server` and `agent`.
 * The first server is the one that initialises the cluster.
 */
export function renderInventory(input: InventoryInput): string {
  const group = (hosts: InventoryHost[]) => ({
    hosts: Object.fromEntries(hosts.map((h) => [h.name, hostVars(h, input.sshUser)])),
  });
  // No line folding: a long value (ssh arguments) stays on one line, as a person would write it.
  return stringify(
    {
      k3s_cluster: {
        children: { server: group(input.servers), agent: group(input.agents) },
        vars: { ...(input.vars ?? {}) },
      },
    },
    { lineWidth: 0 },
  );
}
