// Converts the Kubernetes OpenAPI v2 spec and CRD files into kubeconform's strict, standalone per-kind JSON schemas.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;
interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** kubeconform's file name for a kind: `<kind>[-<first group label>]-<version>.json`, lower case. */
export function schemaFileName({ group, version, kind }: GroupVersionKind): string {
  const groupPart = group === '' ? '' : `-${group.split('.')[0]}`;
  return `${kind}${groupPart}-${version}.json`.toLowerCase();
}

const intOrString = { oneOf: [{ type: 'string' }, { type: 'integer' }] };

/**
 * Inlines every $ref, closes every object that lists its properties (strict mode, as openapi2jsonschema
 * --strict does) and widens the two string formats that manifests may write as numbers.
 */
export function standalone(node: unknown, definitions: Record<string, Schema>, seen: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => standalone(n, definitions, seen));
  if (node === null || typeof node !== 'object') return node;
  const schema = node as Schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/definitions/', '');
    if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') {
      return { oneOf: [{ type: 'string' }, { type: 'number' }] };
    }
    // Only the CRD meta-schema refers to itself; an open schema there costs nothing for our manifests.
    if (seen.includes(name)) return {};
    const target = definitions[name];
    if (target === undefined) throw new Error(`unknown $ref ${schema.$ref}`);
    return standalone(target, definitions, [...seen, name]);
  }
  if (schema.format === 'int-or-string' || schema['x-kubernetes-int-or-string'] === true) return intOrString;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'x-kubernetes-group-version-kind') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, standalone(v, definitions, seen)]))
        : standalone(value, definitions, seen);
  }
  if (out.properties !== undefined && out.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function writeSchema(outDir: string, gvk: GroupVersionKind, schema: unknown): void {
  writeFileSync(join(outDir, schemaFileName(gvk)), JSON.stringify({ $schema: 'http://json-schema.org/schema#', ...(schema as Schema) }));
}

/** Writes one schema per kind of the Kubernetes swagger.json; returns how many. */
export function convertSwagger(swaggerPath: string, outDir: string): number {
  const swagger = JSON.parse(readFileSync(swaggerPath, 'utf8')) as { definitions: Record<string, Schema> };
  let count = 0;
  for (const definition of Object.values(swagger.definitions)) {
    const kinds = definition['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined;
    // Shared types such as DeleteOptions list many kinds; only a definition of exactly one kind is a resource.
    if (kinds?.length !== 1) continue;
    writeSchema(outDir, kinds[0], standalone(definition, swagger.definitions));
    count += 1;
  }
  return count;
}

/**
 * The API server accepts apiVersion, kind and metadata on every custom resource, listed in its schema or not; CRDs
 * generated from Go types (k3s's HelmChart) leave them out, so they are added where missing.
 */
export function withObjectFields(schema: Schema): Schema {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  return {
    ...schema,
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...properties },
  };
}

/** Writes one schema per served version of every CustomResourceDefinition in a YAML file; returns how many. */
export function convertCrds(crdPath: string, outDir: string): number {
  let count = 0;
  for (const doc of parseAllDocuments(readFileSync(crdPath, 'utf8'))) {
    const crd = doc.toJS() as {
      kind?: string;
      spec?: { group: string; names: { kind: string }; versions: { name: string; schema?: { openAPIV3Schema: Schema } }[] };
    } | null;
    if (crd?.kind !== 'CustomResourceDefinition' || crd.spec === undefined) continue;
    for (const version of crd.spec.versions) {
      if (version.schema === undefined) continue;
      writeSchema(outDir, { group: crd.spec.group, version: version.name, kind: crd.spec.names.kind }, standalone(withObjectFields(version.schema.openAPIV3Schema), {}));
      count += 1;
    }
  }
  return count;
}

if (require.main === module) {
  const [swaggerPath, outDir, ...crdPaths] = process.argv.slice(2);
  if (swaggerPath === undefined || outDir === undefined) {
    console.error('usage: k8s-schemas.ts SWAGGER_JSON OUT_DIR [CRD_YAML...]');
    process.exit(2);
  }
  mkdirSync(outDir, { recursive: true });
  const kinds = convertSwagger(swaggerPath, outDir);
  const crds = crdPaths.reduce((n, p) => n + convertCrds(p, outDir), 0);
  console.error(`wrote ${kinds} Kubernetes and ${crds} CRD schemas to ${outDir}`);
}
