// Where each environment's files live in the repository, relative to its root: the one place every layer (the stack,
// the operator CLI, the synth scripts and, through the stack's variables, the Ansible roles) takes them from.
import { posix } from 'node:path';

/** The Ansible folder: playbooks, roles, ansible.cfg, inventories and kubeconfigs. */
export const ANSIBLE_DIR = 'ansible';
/** Where the synthesized Kubernetes manifests go, one folder per environment. */
export const MANIFESTS_ROOT = 'dist';
/** Where cdktf writes the synthesized stacks. */
export const CDKTF_OUT = 'cdktf.out';
const STACKS_DIR = posix.join(CDKTF_OUT, 'stacks');
/** The repository root as seen from a synthesized stack's folder (cdktf.out/stacks/<env>). */
export const REPO_ROOT_FROM_STACK = posix.relative(posix.join(STACKS_DIR, 'env'), '.');

/** The files of one environment, relative to the repository root. */
export interface EnvironmentPaths {
  /** dist/<env>: the manifests `synth:k8s` writes and the deploy role applies. */
  manifests: string;
  /** ansible/inventory/<env>.yml: the inventory the stack writes once it knows the nodes' addresses. */
  inventory: string;
  /** ansible/inventory/<env>.known_hosts: the nodes' host keys, known before they boot. */
  knownHosts: string;
  /** ansible/kubeconfig/<env>.yaml: the kubeconfig the first server hands back. */
  kubeconfig: string;
  /** cdktf.out/stacks/<env>: the synthesized stack. */
  stack: string;
}

export function environmentPaths(name: string): EnvironmentPaths {
  return {
    manifests: posix.join(MANIFESTS_ROOT, name),
    inventory: posix.join(ANSIBLE_DIR, 'inventory', `${name}.yml`),
    knownHosts: posix.join(ANSIBLE_DIR, 'inventory', `${name}.known_hosts`),
    kubeconfig: posix.join(ANSIBLE_DIR, 'kubeconfig', `${name}.yaml`),
    stack: posix.join(STACKS_DIR, name),
  };
}

/** A playbook of the Ansible folder, relative to the repository root. */
export const playbookPath = (playbook: 'site.yml' | 'deploy.yml' | 'upgrade.yml') => posix.join(ANSIBLE_DIR, playbook);

/** A repository path as the roles reach it: relative to the playbook folder (ansible/), where every playbook lives. */
export const fromPlaybookDir = (path: string) => `{{ playbook_dir }}/${posix.relative(ANSIBLE_DIR, path)}`;
