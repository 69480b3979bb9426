// Pure edits of an environment YAML for releases (image versions) and scaling (replicas), keeping its comments.
import { isMap, isScalar, parseDocument, stringify, type Document } from 'yaml';
import { environmentSchema, image, type Environment } from '../../config/schema';
import { ConfigError, formatIssues } from '../../config/errors';

/** The images wolke builds; `release <version>` without an app moves all of them together. */
export const releasedApps = ['api', 'web', 'processor', 'producer', 'aggregator', 'setup', 'loadgen'] as const;

/** Workloads `scale` knows, and the model field it changes. */
export const scalableApps = {
  web: ['apps', 'web', 'replicas'],
  processor: ['apps', 'processor', 'replicas'],
  // The API is scaled by its HPA; scaling it sets the floor the HPA keeps.
  api: ['apps', 'api', 'minReplicas'],
} as const;
export type ScalableApp = keyof typeof scalableApps;

/** One field that an edit changed: what `release` prints before it deploys. */
export interface ModelChange {
  path: string;
  from: string | number | undefined;
  to: string | number;
}

/** The result of an edit: the new YAML text, what changed, and the validated model. */
export interface ModelEdit {
  text: string;
  changes: ModelChange[];
  env: Environment;
}

function parse(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map((e) => e.message));
  return doc;
}

function validate(doc: Document): Environment {
  const result = environmentSchema.safeParse(doc.toJS());
  if (!result.success) throw new ConfigError(formatIssues(result.error.issues));
  return result.data;
}

/**
 * Sets one value. A value the file already holds is replaced in the text itself, so every other byte (comments,
 * flow style, spacing) stays as written; a value the file leaves to the defaults is added through the Document API.
 */
function setValue(text: string, path: readonly string[], value: string | number): string {
  const doc = parse(text);
  const node = doc.getIn(path, true);
  if (isScalar(node) && node.range) {
    return text.slice(0, node.range[0]) + stringify(value).trimEnd() + text.slice(node.range[1]);
  }
  doc.setIn(path, value);
  return doc.toString();
}

function finish(text: string, changes: ModelChange[]): ModelEdit {
  return { text, changes, env: validate(parse(text)) };
}

/**
 * Sets the image version of `apps` (all of wolke's own images when empty). Kafka and MinIO are released
 * only when named, since their versions follow upstream releases rather than ours.
 */
export function setImageVersions(text: string, version: string, apps: readonly string[] = []): ModelEdit {
  const checked = image.shape.version.safeParse(version);
  if (!checked.success) throw new ConfigError([`version: ${checked.error.issues[0]?.message ?? 'invalid'} (got "${version}")`]);
  const doc = parse(text);
  const images = doc.getIn(['apps', 'images']);
  if (!isMap(images)) throw new ConfigError(['apps.images: missing from the environment file']);
  const known = images.items.map((pair) => String((pair.key as { value?: unknown })?.value ?? pair.key));
  const targets = apps.length > 0 ? apps : releasedApps;
  const unknown = targets.filter((a) => !known.includes(a));
  if (unknown.length > 0) throw new ConfigError([`unknown app ${unknown.join(', ')}; the model has ${known.join(', ')}`]);

  const changes: ModelChange[] = [];
  let edited = text;
  for (const app of targets) {
    const path = ['apps', 'images', app, 'version'];
    const from = doc.getIn(path) as string | number | undefined;
    if (String(from) === version) continue;
    edited = setValue(edited, path, version);
    changes.push({ path: path.join('.'), from, to: version });
  }
  return finish(edited, changes);
}

/** Sets the replicas of one workload; the schema's rules (e.g. processors ≤ partitions) still apply. */
export function setReplicas(text: string, app: string, replicas: number): ModelEdit {
  if (!(app in scalableApps)) throw new ConfigError([`scale: unknown app "${app}"; use one of ${Object.keys(scalableApps).join(', ')}`]);
  if (!Number.isInteger(replicas) || replicas < 1) throw new ConfigError([`scale: replicas must be a whole number of at least 1 (got ${replicas})`]);
  const doc = parse(text);
  const before = validate(doc);
  const path = scalableApps[app as ScalableApp];
  const changes: ModelChange[] = [];
  let edited = text;
  const current = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], before) as number;
  if (current !== replicas) {
    edited = setValue(edited, path, replicas);
    changes.push({ path: path.join('.'), from: current, to: replicas });
  }
  // A floor above the HPA's ceiling would be invalid: raise the ceiling with it.
  if (app === 'api' && replicas > before.apps.api.maxReplicas) {
    edited = setValue(edited, ['apps', 'api', 'maxReplicas'], replicas);
    changes.push({ path: 'apps.api.maxReplicas', from: before.apps.api.maxReplicas, to: replicas });
  }
  return finish(edited, changes);
}

/** The changes as lines a person reads, e.g. `apps.images.api.version: 0.1.0 -> 0.2.0`. */
export function describeChanges(changes: readonly ModelChange[]): string[] {
  return changes.map((c) => `${c.path}: ${c.from === undefined ? '(default)' : String(c.from)} -> ${String(c.to)}`);
}
