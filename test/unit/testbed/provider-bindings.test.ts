import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindingImports, bindingsRoot, generatedBindings, repoRoot, terraformTypeOf, wantedTypes } from '../../../testbed/provider-bindings';
import { trimSchema } from '../../../testbed/trim-provider-schema';

const imports = bindingImports();
const providers = [...new Set(imports.map((i) => i.provider))];

describe('the generated provider bindings (.gen/)', () => {
  it('hold every binding the code imports', () => {
    const missing = imports
      .filter((i) => !generatedBindings(i.provider).includes(i.binding))
      .map((i) => `${i.file} imports .gen/providers/${i.provider}/${i.binding}, which is not generated: run \`npm run get\``);
    expect(missing).toEqual([]);
    expect(imports.some((i) => i.file.startsWith('stacks/'))).toBe(true);
  });

  it('hold nothing the code does not import', () => {
    const unused = providers.flatMap((provider) =>
      generatedBindings(provider)
        .filter((binding) => !imports.some((i) => i.provider === provider && i.binding === binding))
        .map((binding) => `.gen/providers/${provider}/${binding} is imported by nothing: run \`npm run get\``),
    );
    expect(unused).toEqual([]);
  });

  it('are of the provider version cdktf.json asks for', () => {
    const cdktf = JSON.parse(readFileSync(join(repoRoot, 'cdktf.json'), 'utf8')) as { terraformProviders: string[] };
    const versions = JSON.parse(readFileSync(join(bindingsRoot, '..', 'versions.json'), 'utf8')) as Record<string, string>;
    const constraints = JSON.parse(readFileSync(join(bindingsRoot, '..', 'constraints.json'), 'utf8')) as { providers: Record<string, string> };
    for (const provider of providers) {
      const wanted = cdktf.terraformProviders.find((p) => p.split('@')[0]!.endsWith(`/${provider}`));
      expect(wanted, `cdktf.json has no provider ${provider}`).toBeDefined();
      const [source, version] = wanted!.split('@') as [string, string];
      expect(versions[`registry.terraform.io/${source}`]).toBe(version);
      expect(constraints.providers[provider]).toBe(version);
    }
  });
});

describe('terraformTypeOf', () => {
  it('reads cdktf’s folder names back as Terraform types', () => {
    expect(terraformTypeOf('openstack', 'compute-instance-v2')).toEqual({ kind: 'resource', type: 'openstack_compute_instance_v2' });
    expect(terraformTypeOf('openstack', 'data-openstack-networking-network-v2')).toEqual({
      kind: 'data source',
      type: 'openstack_networking_network_v2',
    });
    expect(terraformTypeOf('openstack', 'provider')).toEqual({ kind: 'provider' });
  });
});

describe('trimSchema', () => {
  const address = 'registry.terraform.io/terraform-provider-openstack/openstack';
  const schema = {
    format_version: '1.0',
    provider_schemas: {
      [address]: {
        provider: { version: 0 },
        resource_schemas: { openstack_a_v2: { version: 1 }, openstack_b_v2: { version: 2 } },
        data_source_schemas: { openstack_a_v2: { version: 3 }, openstack_c_v2: { version: 4 } },
      },
    },
  };

  it('keeps the provider and only the wanted resources and data sources', () => {
    const wanted = wantedTypes([
      { provider: 'openstack', binding: 'b-v2', file: 'x.ts' },
      { provider: 'openstack', binding: 'data-openstack-a-v2', file: 'x.ts' },
      { provider: 'openstack', binding: 'provider', file: 'y.ts' },
    ]);
    expect(trimSchema(schema, wanted)).toEqual({
      format_version: '1.0',
      provider_schemas: {
        [address]: {
          provider: { version: 0 },
          resource_schemas: { openstack_b_v2: { version: 2 } },
          data_source_schemas: { openstack_a_v2: { version: 3 } },
        },
      },
    });
  });

  it('names each imported type the provider does not have', () => {
    const wanted = { openstack: { resources: ['openstack_z_v9'], dataSources: ['openstack_b_v2'] } };
    expect(() => trimSchema(schema, wanted)).toThrow(`${address} has no resource openstack_z_v9`);
    expect(() => trimSchema(schema, wanted)).toThrow(`${address} has no data source openstack_b_v2`);
  });
});
