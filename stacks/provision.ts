// Runs Ansible on the inventory whenever a node or a version changes (a terraform_data with local-exec).
import { Construct } from 'constructs';
import { DataResource, type ITerraformDependable } from 'cdktf';
import { repoRootFromStack } from './inventory';

export interface ProvisionProps {
  /** Inventory path as Terraform sees it. */
  readonly inventoryPath: string;
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
 * Terraform's built-in `terraform_data` stands in for null_resource: same triggers-and-provisioner
 * lifecycle, no provider to install (the null provider cannot be built from the module proxy here).
 * Ansible waits for SSH and cloud-init itself, so nothing here sleeps.
 */
export class AnsibleProvision extends Construct {
  constructor(scope: Construct, id: string, props: ProvisionProps) {
    super(scope, id);
    const playbook = props.playbook ?? 'ansible/site.yml';
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
          command: `ansible-playbook -i '${props.inventoryPath}' ${playbook}`,
          environment: { ANSIBLE_CONFIG: 'ansible/ansible.cfg', ANSIBLE_FORCE_COLOR: '1', ...props.environment },
        },
      ],
    });
  }
}
