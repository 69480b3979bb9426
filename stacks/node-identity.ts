// What makes a node what it is: its versions, the name derived from them and the cloud-init user data.
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

/** Everything that, when it changes, must give a new server (immutable infrastructure). */
export interface NodeVersions {
  k3sVersion: string;
  image: string;
  flavor: string;
}

/** Eight hex digits that change whenever any version changes. */
export function versionHash(versions: NodeVersions): string {
  const canonical = JSON.stringify([versions.k3sVersion, versions.image, versions.flavor]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 8);
}

/** Node name, unique per version so a replacement can exist beside the node it replaces. */
export function nodeName(prefix: string, role: 'server' | 'agent', index: number, versions: NodeVersions): string {
  return `${prefix}-${role}-${index}-${versionHash(versions)}`;
}

/**
 * cloud-init user data. It records the versions on the node; because OpenStack cannot change
 * user data in place, a version change replaces the server.
 */
export function userData(name: string, role: 'server' | 'agent', versions: NodeVersions): string {
  const record = JSON.stringify({ name, role, ...versions }, null, 2);
  return `#cloud-config\n${stringify({
    hostname: name,
    preserve_hostname: false,
    write_files: [{ path: '/etc/wolke/node.json', permissions: '0644', content: `${record}\n` }],
  })}`;
}
