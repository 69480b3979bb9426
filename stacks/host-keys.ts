// SSH host keys of the nodes, known before they boot: cloud-init installs each node's key from its user data and the
// stack writes the public halves into a known_hosts file it owns, so Ansible checks every host key, also of a node
// that replaced another at the same floating IP.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { File } from '@cdktf/provider-local/lib/file';
import { repoRootFromStack } from './inventory';
import type { ClusterSecret } from './cluster-secret';
import { scriptDataSource } from './script-data-source';

export interface HostKeysProps {
  /** Every node's name (a new name gets a new key). */
  readonly names: string[];
  readonly secret: ClusterSecret;
}

export class HostKeys extends Construct {
  private readonly keys: string;

  constructor(scope: Construct, id: string, props: HostKeysProps) {
    super(scope, id);
    const derive = scriptDataSource(
      this,
      'derive',
      'scripts/host-keys.ts',
      Fn.jsonencode(props.names.map((name) => ({ name, seed: props.secret.derive('host-key', name) }))),
    );
    this.keys = derive.stdout;
  }

  publicKey(name: string): string {
    return Fn.lookupNested(Fn.jsondecode(this.keys), [name, 'publicKey']);
  }

  /** Marked sensitive: plans show "(sensitive value)" wherever it goes. */
  privateKey(name: string): string {
    return Fn.sensitive(Fn.lookupNested(Fn.jsondecode(this.keys), [name, 'privateKey']));
  }
}

export interface KnownHostsProps {
  /** Path relative to the repository root. */
  readonly path: string;
  readonly entries: { address: string; publicKey: string }[];
}

/** The known_hosts file Ansible checks the nodes against (StrictHostKeyChecking=yes). */
export class KnownHosts extends Construct {
  readonly file: File;
  /** What the file holds (Terraform expressions in it). */
  readonly content: string;

  constructor(scope: Construct, id: string, props: KnownHostsProps) {
    super(scope, id);
    this.content = props.entries.map((e) => `${e.address} ${e.publicKey}\n`).join('');
    this.file = new File(this, 'file', {
      filename: `${repoRootFromStack}/${props.path}`,
      content: this.content,
      filePermission: '0644',
      directoryPermission: '0755',
    });
  }
}
