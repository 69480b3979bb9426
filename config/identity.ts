// One identity per environment: the file name is the environment, and nothing of it is shared with another by accident.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { environmentPaths } from './repository-paths';
import type { Environment } from './schema';

/** Where the repository keeps its environments. */
export const environmentsDir = resolve(__dirname, 'environments');

/** The file a name (`prod`) or a path (`/tmp/x/lc1234.yaml`, `./prod.yaml`) stands for. */
export function environmentFile(nameOrPath: string): string {
  return /\.ya?ml$/.test(nameOrPath) || nameOrPath.includes('/') ? resolve(nameOrPath) : join(environmentsDir, `${nameOrPath}.yaml`);
}

/** The environment a file is: its base name without `.yaml`. */
function environmentNameOf(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

/** The line that refuses a `name:` other than the file's own name, or nothing when they agree. */
export function nameMismatch(file: string, name: unknown): string[] {
  const own = environmentNameOf(file);
  if (typeof name !== 'string' || name === own) return [];
  return [
    `name: "${name}" differs from the file name ${basename(file)}; the file name is the environment (it names the stack, state, ` +
      `inventory and manifests): set name: ${own}, or rename the file to ${name}.yaml`,
  ];
}

const show = (file: string) => relative(process.cwd(), file) || file;

type Raw = Record<string, any>;

function readRaw(file: string): Raw | undefined {
  try {
    const raw: unknown = parseYaml(readFileSync(file, 'utf8'));
    return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Raw) : undefined;
  } catch {
    // A broken neighbour is its own problem; it shares nothing we could read.
    return undefined;
  }
}

const sameUrl = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/**
 * What this environment would share with the other environment files beside it (and, for a file elsewhere, with
 * the repository's environment of the same name): a keypair the stack creates, a Terraform state, an ingress host
 * or a MinIO endpoint. Each is one line naming the path, the other environment and what to change.
 */
export function sharedWithOthers(env: Environment, file: string): string[] {
  const own = resolve(file);
  const lines: string[] = [];
  const name = environmentNameOf(own);
  const twin = join(environmentsDir, `${name}.yaml`);
  if (dirname(own) !== environmentsDir && existsSync(twin)) {
    const paths = environmentPaths(name);
    lines.push(
      `name: ${show(twin)} is environment "${name}" too; both would use ${paths.stack}, ` +
        `${paths.inventory} and ${paths.manifests}: rename this file (and its name:)`,
    );
  }
  let neighbours: string[] = [];
  try {
    neighbours = readdirSync(dirname(own))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(dirname(own), f))
      .filter((f) => f !== own);
  } catch {
    neighbours = [];
  }
  for (const other of neighbours) {
    const raw = readRaw(other);
    if (!raw || typeof raw.name !== 'string' || typeof raw.openstack !== 'object') continue;
    const them = `environment ${environmentNameOf(other)} (${show(other)})`;
    const keypair = raw.openstack?.keypair;
    const createsKey = (k: Raw | undefined) => k !== undefined && (k.publicKey !== undefined || k.publicKeyFile !== undefined);
    if (env.openstack.keypair.publicKey !== undefined && createsKey(keypair) && keypair.name === env.openstack.keypair.name) {
      lines.push(
        `openstack.keypair.name: "${env.openstack.keypair.name}" is also created by ${them}; Nova refuses the second, ` +
          `and destroying either environment deletes the other's key: name it e.g. wolke-${env.name}`,
      );
    }
    const state = raw.state;
    if (env.state && state && sameUrl(state.endpoint, env.state.endpoint) && state.bucket === env.state.bucket && state.key === env.state.key) {
      lines.push(`state.key: "${env.state.key}" in bucket ${env.state.bucket} is also the state of ${them}; each would overwrite the other: use e.g. wolke/${env.name}.tfstate`);
    }
    const host = env.apps.ingress.host;
    if (host !== undefined && raw.apps?.ingress?.host === host) {
      lines.push(`apps.ingress.host: "${host}" is also the host of ${them}; one DNS name cannot point at both clusters`);
    }
    const endpoint = env.apps.minio.publicEndpoint;
    if (endpoint !== undefined && sameUrl(raw.apps?.minio?.publicEndpoint, endpoint)) {
      lines.push(`apps.minio.publicEndpoint: "${endpoint}" is also the MinIO endpoint of ${them}; browsers would upload into the wrong cluster`);
    }
  }
  return lines;
}
