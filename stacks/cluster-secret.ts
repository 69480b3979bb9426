// The cluster's one secret, created once in the Terraform state: the k3s join tokens and the nodes' SSH host keys
// derive from it, so they survive every node replacement and no machine has to keep them.
import { Construct } from 'constructs';
import { DataResource, Fn } from 'cdktf';

export class ClusterSecret extends Construct {
  private readonly value: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // uuid() is new on every plan; ignore_changes keeps the first one (244 random bits) for the state's lifetime.
    const secret = new DataResource(this, 'value', {
      input: Fn.sensitive(Fn.join('', [Fn.uuid(), Fn.uuid()])),
      lifecycle: { ignoreChanges: ['input'] },
    });
    this.value = secret.getStringAttribute('output');
  }

  /** A 64-hex-digit value of its own for the purpose the parts name; still sensitive (redacted in plans). */
  derive(...purpose: string[]): string {
    return Fn.sha256(Fn.join(':', [this.value, ...purpose]));
  }
}
