// Loads an environment from config/environments/<name>.yaml, applies overrides and validates it.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isScalar, parseDocument, parse as parseYaml } from 'yaml';
import { environmentSchema, type Environment } from './schema';
import { formatIssues, ConfigError, type SourceOf } from './errors';
import { environmentFile, environmentsDir, nameMismatch, sharedWithOthers } from './identity';

export { environmentFile, environmentsDir } from './identity';

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

/** Reads a text file the model names; a missing or unreadable one is a ConfigError on `field`. */
function readText(file: string, field: string): string {
  try {
    if (statSync(file).isDirectory()) throw new ConfigError([`${field}: ${file} is a folder, not a file`]);
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([`${field}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`} ${file}`]);
  }
}

/** Validates a parsed document; throws ConfigError listing every bad path. `sourceOf` gives values as written. */
export function parseEnvironment(raw: unknown, baseDir: string = environmentsDir, sourceOf?: SourceOf): Environment {
  if (raw === null || raw === undefined) {
    throw new ConfigError(['(top level): the file is empty; start from a copy of config/environments/example.yaml']);
  }
  const result = environmentSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ConfigError(formatIssues(result.error.issues, environmentSchema, sourceOf));
  const env = result.data;
  const keypair = env.openstack.keypair;
  if (keypair.publicKeyFile !== undefined) {
    if (keypair.publicKey !== undefined) {
      throw new ConfigError(['openstack.keypair: give publicKey or publicKeyFile, not both']);
    }
    const file = resolve(baseDir, keypair.publicKeyFile.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
    const publicKey = readText(file, 'openstack.keypair.publicKeyFile');
    // Revalidate so the key read from the file meets the same rule as an inline one.
    return parseEnvironment(
      { ...(raw as object), openstack: { ...(raw as { openstack: object }).openstack, keypair: { name: keypair.name, publicKey } } },
      baseDir,
    );
  }
  return env;
}

/**
 * Loads and validates config/environments/<name>.yaml (or a path to a YAML file). The file's name is the
 * environment: a different `name:` is refused, and so is anything shared with another environment by accident.
 * `source` names where the choice came from (WOLKE_ENV, --env) in the error.
 */
export function loadEnvironment(
  name: string = selectedEnvironmentName(),
  overrides: string | undefined = process.env.WOLKE_SET,
  source = 'WOLKE_ENV',
): Environment {
  const file = environmentFile(name);
  let text: string;
  try {
    text = readText(file, source);
  } catch (err) {
    if (err instanceof ConfigError && err.lines[0]?.includes('no such file')) throw new ConfigError([`${source}: no environment file ${file}`]);
    throw err;
  }
  return environmentFromText(text, file, overrides);
}

/** Validates the text of environment file `file` (read, or about to be written) with every check of loadEnvironment. */
export function environmentFromText(text: string, file: string, overrides: string | undefined = ''): Environment {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    // The first error is the cause; YAML's later ones mostly follow from it.
    const more = doc.errors.length - 1;
    throw new ConfigError([`${file}: ${doc.errors[0].message.split('\n')[0].replace(/:$/, '')}${more > 0 ? ` (and ${more} more after it)` : ''}`]);
  }
  const raw = applyOverrides(doc.toJS(), overrides);
  const identity = nameMismatch(file, (raw as { name?: unknown } | null)?.name);
  const sourceOf: SourceOf = (path) => {
    const node = doc.getIn(path as unknown[], true);
    if (!isScalar(node) || !node.range) return undefined;
    const written = text.slice(node.range[0], node.range[1]);
    // An override (WOLKE_SET) may have replaced the value; the file's text only counts when it is the value read.
    return parseYaml(written) === node.value ? written : undefined;
  };
  let env: Environment;
  try {
    env = parseEnvironment(raw, dirname(file), sourceOf);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError([...identity, ...err.lines.filter((l) => !(identity.length > 0 && l.startsWith('name:')))]);
    throw err;
  }
  const shared = [...identity, ...sharedWithOthers(env, file)];
  if (shared.length > 0) throw new ConfigError(shared);
  return env;
}
