// Filter for `terraform providers schema -json` (stdin → stdout): keeps the resources and data sources named in
// WOLKE_BINDING_TYPES (testbed/provider-bindings.ts's JSON), so `cdktf get` generates bindings for those only.
import { readFileSync } from 'node:fs';
import type { WantedTypes } from './provider-bindings';

interface ProviderSchema {
  resource_schemas?: Record<string, unknown>;
  data_source_schemas?: Record<string, unknown>;
}

/** Keeps the wanted types of every provider in the schema; throws naming each wanted type the provider lacks. */
export function trimSchema(schema: { provider_schemas?: Record<string, ProviderSchema> }, wanted: WantedTypes): typeof schema {
  const missing: string[] = [];
  const pick = (all: Record<string, unknown> = {}, names: string[], address: string, kind: string) =>
    Object.fromEntries(
      names.flatMap((name) => {
        if (all[name] !== undefined) return [[name, all[name]]];
        missing.push(`${address} has no ${kind} ${name}`);
        return [];
      }),
    );
  const providers = Object.entries(schema.provider_schemas ?? {}).map(([address, provider]) => {
    const want = wanted[address.split('/').pop()!] ?? { resources: [], dataSources: [] };
    const trimmed = {
      ...provider,
      resource_schemas: pick(provider.resource_schemas, want.resources, address, 'resource'),
      data_source_schemas: pick(provider.data_source_schemas, want.dataSources, address, 'data source'),
    };
    return [address, trimmed] as const;
  });
  if (missing.length > 0) throw new Error(`the code imports bindings the provider does not have:\n  ${missing.join('\n  ')}`);
  return { ...schema, provider_schemas: Object.fromEntries(providers) };
}

if (require.main === module) {
  try {
    const wanted = JSON.parse(process.env.WOLKE_BINDING_TYPES ?? '') as WantedTypes;
    process.stdout.write(JSON.stringify(trimSchema(JSON.parse(readFileSync(0, 'utf8')), wanted)));
  } catch (error) {
    console.error(`trim-provider-schema: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
