// The conversion of Kubernetes OpenAPI definitions into kubeconform's strict standalone schemas.
import { describe, expect, it } from 'vitest';
import { schemaFileName, standalone, withObjectFields } from '../../../testbed/k8s-schemas';

describe('schemaFileName', () => {
  it('follows kubeconform: kind, first label of the group, version, lower case', () => {
    expect(schemaFileName({ group: '', version: 'v1', kind: 'Service' })).toBe('service-v1.json');
    expect(schemaFileName({ group: 'apps', version: 'v1', kind: 'StatefulSet' })).toBe('statefulset-apps-v1.json');
    expect(schemaFileName({ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' })).toBe('networkpolicy-networking-v1.json');
    expect(schemaFileName({ group: 'traefik.io', version: 'v1alpha1', kind: 'Middleware' })).toBe('middleware-traefik-v1alpha1.json');
  });
});

describe('standalone', () => {
  const definitions = {
    'a.Port': { type: 'object', properties: { port: { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' } } },
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
    'a.Node': { type: 'object', properties: { child: { $ref: '#/definitions/a.Node' } } },
  };

  it('inlines references and closes objects that list their properties', () => {
    expect(standalone({ type: 'object', properties: { p: { $ref: '#/definitions/a.Port' } } }, definitions)).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        p: { type: 'object', additionalProperties: false, properties: { port: { oneOf: [{ type: 'string' }, { type: 'integer' }] } } },
      },
    });
  });

  it('accepts numbers for quantities and leaves maps and preserved fields open', () => {
    expect(standalone({ $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' }, definitions)).toEqual({
      oneOf: [{ type: 'string' }, { type: 'number' }],
    });
    expect(standalone({ type: 'object', additionalProperties: { type: 'string' } }, definitions)).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(standalone({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: {} }, definitions)).not.toHaveProperty('additionalProperties');
  });

  it('stops at a reference to itself instead of recursing forever', () => {
    expect(standalone({ $ref: '#/definitions/a.Node' }, definitions)).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { child: {} },
    });
  });

  it('refuses an unknown reference', () => {
    expect(() => standalone({ $ref: '#/definitions/missing' }, definitions)).toThrow('unknown $ref');
  });
});

describe('withObjectFields', () => {
  it('adds apiVersion, kind and metadata to a CRD schema generated without them, and keeps listed ones', () => {
    const generated = { type: 'object', properties: { spec: { type: 'object' } } };
    expect(Object.keys(withObjectFields(generated).properties as object).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    const listed = { type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string' } } } } };
    expect((withObjectFields(listed).properties as Record<string, unknown>).metadata).toEqual(listed.properties.metadata);
  });
});
