// Writes the Ansible inventory with a local_file, once Terraform knows the nodes' addresses.
import { Construct } from 'constructs';
import { File } from '@cdktf/provider-local/lib/file';
import { REPO_ROOT_FROM_STACK } from '../config/repository-paths';
import { renderInventory, type InventoryInput } from './inventory-text';

export interface AnsibleInventoryProps extends InventoryInput {
  /** Path of the inventory file, relative to the repository root. */
  readonly path: string;
}

/** Path from the synthesized stack's folder (cdktf.out/stacks/<env>) back to the repository root. */
export const repoRootFromStack = `${'${path.module}'}/${REPO_ROOT_FROM_STACK}`;

export class AnsibleInventory extends Construct {
  /** The local_file resource, for dependencies. */
  readonly file: File;
  /** What the file holds (Terraform expressions in it). */
  readonly content: string;

  constructor(scope: Construct, id: string, props: AnsibleInventoryProps) {
    super(scope, id);
    this.content = renderInventory(props);
    this.file = new File(this, 'file', {
      filename: `${repoRootFromStack}/${props.path}`,
      content: this.content,
      filePermission: '0644',
      directoryPermission: '0755',
    });
  }
}
