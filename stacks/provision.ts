// Runs Ansible on the inventory whenever a node or a version changes (a terraform_data with local-exec).
import { Construct } from 'constructs';
import { DataResource, type ITerraformDependable } from 'cdktf';
import { ANSIBLE_DIR, playbookPath } from '../config/repository-paths';
import { repoRootFromStack } from './inventory';

export interface ProvisionProps {
  /** The inventory and known_hosts files Ansible runs with: their names and contents. */
  readonly inventory: { name: string; content: string };
  readonly knownHosts: { name: string; content: string };
  /** Values whose change re-runs Ansible: server ids and versions. */
  readonly triggers: Record<string, string | string[]>;
  /** What must exist first (the inventory file). */
  readonly dependsOn: ITerraformDependable[];
  /** Playbook, relative to the repository root. */
  readonly playbook?: string;
  /** Extra environment of the Ansible run (values that must not be written anywhere). */
  readonly environment?: Record<string, string>;
}

/**
 * Terraform's built-in `terraform_data`, HashiCorp's replacement for null_resource: the same triggers-and-provisioner
 * lifecycle, and no provider for users to fetch, mirror and verify (README, "Notes and known limits").
 * Ansible waits for SSH and cloud-init itself, so nothing here sleeps.
 */
export class AnsibleProvision extends Construct {
  constructor(scope: Construct, id: string, props: ProvisionProps) {
    super(scope, id);
    const playbook = props.playbook ?? playbookPath('site.yml');
    new DataResource(this, 'run', {
      triggersReplace: props.triggers,
      dependsOn: props.dependsOn,
      // The new run comes before the old one leaves, and a server that is gone from the model is destroyed only after
      // the old run (which depends on it) leaves: so Ansible drains and deletes its node before Terraform destroys it.
      lifecycle: { createBeforeDestroy: true },
      provisioners: [
        {
          type: 'local-exec',
          workingDir: repoRootFromStack,
          // Ansible reads its own copies of the inventory and known_hosts, written from this run's environment: the
          // local_file copies (for people) cannot be dependencies of this create-before-destroy run, or Terraform would
          // make their replacement create-before-destroy too, and the old file's destroy would delete the new one.
          command: [
            'set -e',
            'dir=$(mktemp -d)',
            `trap 'rm -rf "$dir"' EXIT`,
            `printf '%s' "$WOLKE_INVENTORY" > "$dir/${props.inventory.name}"`,
            `printf '%s' "$WOLKE_KNOWN_HOSTS" > "$dir/${props.knownHosts.name}"`,
            `ansible-playbook -i "$dir/${props.inventory.name}" ${playbook}`,
          ].join('; '),
          environment: {
            ANSIBLE_CONFIG: `${ANSIBLE_DIR}/ansible.cfg`,
            ANSIBLE_FORCE_COLOR: '1',
            WOLKE_INVENTORY: props.inventory.content,
            WOLKE_KNOWN_HOSTS: props.knownHosts.content,
            ...props.environment,
          },
        },
      ],
    });
  }
}
