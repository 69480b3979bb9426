// Which generated provider bindings (.gen/providers/<provider>/<binding>) the project's code imports, and the
// Terraform types they are generated from: `npm run get` generates exactly these, and a test keeps the two in step.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..');
/** Where `cdktf get` writes (cdktf.json's codeMakerOutput). */
export const bindingsRoot = join(repoRoot, '.gen', 'providers');

/** Folders that hold no project source, or only generated and built output. */
const notSource = new Set(['node_modules', '.git', '.gen', 'dist', 'cdktf.out', 'test-output', 'results']);
const bindingImport = /from\s+['"](?:\.\.?\/)+\.gen\/providers\/([a-z0-9-]+)\/([a-z0-9-]+)['"]/g;

export interface BindingImport {
  provider: string;
  /** The binding's folder, e.g. `compute-instance-v2` or `data-openstack-networking-network-v2`. */
  binding: string;
  /** The importing file, relative to the repository. */
  file: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return notSource.has(name) ? [] : sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of a generated binding in the project's TypeScript, in file order. */
export function bindingImports(root: string = repoRoot): BindingImport[] {
  return sourceFiles(root).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(bindingImport)].map((m) => ({ provider: m[1]!, binding: m[2]!, file: relative(root, path) })),
  );
}

/** What a binding folder is generated from: the provider's own configuration, a resource or a data source. */
export type TerraformType = { kind: 'provider' } | { kind: 'resource' | 'data source'; type: string };

/** cdktf names a binding after its type without the provider prefix, data sources with a `data-` prefix. */
export function terraformTypeOf(provider: string, binding: string): TerraformType {
  if (binding === 'provider') return { kind: 'provider' };
  if (binding.startsWith(`data-${provider}-`)) return { kind: 'data source', type: binding.slice('data-'.length).replaceAll('-', '_') };
  return { kind: 'resource', type: `${provider}_${binding.replaceAll('-', '_')}` };
}

/** The resource and data source types to generate, per provider, from what the code imports. */
export interface WantedTypes {
  [provider: string]: { resources: string[]; dataSources: string[] };
}

export function wantedTypes(imports: BindingImport[]): WantedTypes {
  const wanted: WantedTypes = {};
  for (const { provider, binding } of imports) {
    const entry = (wanted[provider] ??= { resources: [], dataSources: [] });
    const t = terraformTypeOf(provider, binding);
    if (t.kind === 'provider') continue;
    const list = t.kind === 'resource' ? entry.resources : entry.dataSources;
    if (!list.includes(t.type)) list.push(t.type);
  }
  for (const entry of Object.values(wanted)) {
    entry.resources.sort();
    entry.dataSources.sort();
  }
  return wanted;
}

/** The binding folders generated for a provider (empty when none are). */
export function generatedBindings(provider: string, root: string = bindingsRoot): string[] {
  try {
    return readdirSync(join(root, provider)).filter((name) => statSync(join(root, provider, name)).isDirectory()).sort();
  } catch {
    return [];
  }
}

if (require.main === module) console.log(JSON.stringify(wantedTypes(bindingImports())));
