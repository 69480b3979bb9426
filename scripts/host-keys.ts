// Answers the stack's host-keys data source: reads [{name, seed}] (seed: 64 hex digits) on stdin and prints
// {"<name>": {"publicKey", "privateKey"}}. The seeds come from the cluster secret in the Terraform state, so the keys
// are the same on every plan and new for every new node name.
import { readFileSync } from 'node:fs';
import { hostKeyFromSeed } from './host-keys/ed25519';

export function hostKeys(nodes: { name: string; seed: string }[]): Record<string, { publicKey: string; privateKey: string }> {
  return Object.fromEntries(
    nodes.map(({ name, seed }) => {
      if (!/^[0-9a-f]{64}$/.test(seed)) throw new Error(`host key seed of ${name} must be 64 hex digits`);
      return [name, hostKeyFromSeed(Buffer.from(seed, 'hex'), name)];
    }),
  );
}

if (require.main === module) {
  process.stdout.write(JSON.stringify(hostKeys(JSON.parse(readFileSync(0, 'utf8')))));
}
