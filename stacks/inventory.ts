// Writes the Ansible inventory with a local_file, once Terraform knows the nodes' addresses.
import { Construct } from 'constructs';
import { File } from '@cdktf/provider-local/lib/file';
import { renderInventory, type InventoryInput } from './inventory-text';

export interface AnsibleInventoryProps extends InventoryInput {
  /** Path of the inventory file, relative to the repository root. */
  readonly path: string;
}

/** Path from the synthesized stack's folder (cdktf.out/stacks/<env>) back to the repository root. */
export const repoRootFromStack = '${path.module}/../../..';

export class AnsibleInventory extends Construct {
  /** The path Terraform writes to, as Terraform sees it. */
  readonly filename: string;
  /** The local_file resource, for dependencies. */
  readonly file: File;
  /** The rendered text (with Terraform references still in it). */
  readonly content: string;

  constructor(scope: Construct, id: string, props: AnsibleInventoryProps) {
    super(scope, id);
    const file = new File(this, 'file', {
      filename: `${repoRootFromStack}/${props.path}`,
      content: renderInventory(props),
      filePermission: '0644',
      directoryPermission: '0755',
    });
    this.file = file;
    this.filename = file.filename;
    this.content = file.content;
  }
}
