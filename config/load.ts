// Loads an environment from config/environments/<name>.yaml, applies overrides and validates it.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument, parse as parseYaml } from 'yaml';
import { environmentSchema, type Environment } from './schema';
import { formatIssues, ConfigError } from './errors';

export const environmentsDir = resolve(__dirname, 'environments');

/** The environment chosen by WOLKE_ENV, `example` when unset. */
export function selectedEnvironmentName(env: NodeJS.ProcessEnv = process.env): string {
  return env.WOLKE_ENV?.trim() || 'example';
}

/**
 * Applies `path=value` overrides (values are YAML scalars), separated by `;` or newlines, as in
 * `WOLKE_SET='cluster.agents.count=5;apps.api.maxReplicas=10'`.
 */
export function applyOverrides(raw: unknown, overrides: string | undefined): unknown {
  if (!overrides?.trim()) return raw;
  const root = (raw ?? {}) as Record<string, unknown>;
  for (const assignment of overrides.split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new ConfigError([`WOLKE_SET: "${assignment}" is not of the form path=value`]);
    const path = assignment.slice(0, eq).trim().split('.');
    let node: Record<string, unknown> = root;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = parseYaml(assignment.slice(eq + 1));
  }
  return root;
}

/** Validates a parsed document; throws ConfigError listing every bad path. */
export function parseEnvironment(raw: unknown, baseDir: string = environmentsDir): Environment {
  if (raw === null || raw === undefined) {
    throw new ConfigError(['(top level): the file is empty; start from a copy of config/environments/example.yaml']);
  }
  const result = environmentSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(formatIssues(result.error.issues, environmentSchema));
  const env = result.data;
  const keypair = env.openstack.keypair;
  if (keypair.publicKeyFile !== undefined) {
    if (keypair.publicKey !== undefined) {
      throw new ConfigError(['openstack.keypair: give publicKey or publicKeyFile, not both']);
    }
    const file = resolve(baseDir, keypair.publicKeyFile.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
    if (!existsSync(file)) {
      throw new ConfigError([`openstack.keypair.publicKeyFile: no such file ${file}`]);
    }
    // Revalidate so the key read from the file meets the same rule as an inline one.
    return parseEnvironment(
      { ...(raw as object), openstack: { ...(raw as { openstack: object }).openstack, keypair: { name: keypair.name, publicKey: readFileSync(file, 'utf8') } } },
      baseDir,
    );
  }
  return env;
}

/** Loads and validates config/environments/<name>.yaml (or a path to a YAML file). */
export function loadEnvironment(
  name: string = selectedEnvironmentName(),
  overrides: string | undefined = process.env.WOLKE_SET,
): Environment {
  const file = name.endsWith('.yaml') || name.includes('/') ? resolve(name) : join(environmentsDir, `${name}.yaml`);
  if (!existsSync(file)) throw new ConfigError([`WOLKE_ENV: no environment file ${file}`]);
  const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map((e) => `${file}: ${e.message}`));
  return parseEnvironment(applyOverrides(doc.toJS(), overrides), dirname(file));
}
