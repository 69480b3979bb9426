// The manifests speak Traefik 3, which k3s bundles from v1.32.2 on: no traefik.containo.us group, no option Traefik 3
// removed, no v2 rule syntax. (The CRD schemas of Traefik 3 catch unknown fields too, in test/iac; this names the
// v2 constructs, including those in strings such as rules and annotations, which a schema cannot see.)
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../config/schema';
import { addCharts } from '../../../charts/manifests';
import { environment } from '../../support/environments';

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: unknown;
}

/** Middleware options Traefik 3 removed (docs/content/migrate/v2-to-v3-details.md of its module), by middleware. */
const REMOVED_OPTIONS: Record<string, { options: string[]; instead: string }> = {
  ipWhiteList: { options: [], instead: 'ipAllowList (renamed in Traefik 3)' },
  stripPrefix: { options: ['forceSlash'], instead: 'nothing: Traefik 3 no longer adds a slash' },
  headers: {
    options: ['sslRedirect', 'sslTemporaryRedirect', 'sslHost', 'sslForceHost', 'featurePolicy'],
    instead: 'a redirectScheme middleware or permissionsPolicy',
  },
  forwardAuth: { options: ['tls.caOptional'], instead: 'tls.ca' },
};

/** v2 rule matchers: renamed or removed in Traefik 3, or given several values where Traefik 3 takes one. */
const V2_MATCHERS: { pattern: RegExp; why: string }[] = [
  { pattern: /\bHeaders(Regexp)?\(/, why: 'Headers/HeadersRegexp are Header/HeaderRegexp in Traefik 3' },
  { pattern: /\bHostHeader\(/, why: 'HostHeader is removed in Traefik 3; use Host' },
  { pattern: /\b(Host|HostSNI|Path|PathPrefix|Method|ClientIP)\(\s*`[^`]*`\s*,/, why: 'Traefik 3 matchers take one value; combine them with ||' },
  { pattern: /\b(Path|PathPrefix)\(\s*`[^`]*\{[^`]*`/, why: 'Path and PathPrefix take no {placeholders} in Traefik 3; use PathRegexp' },
];

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** Every string in an object with its path, for rules wherever a resource keeps them. */
function strings(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
}

/** What in these objects only Traefik 2 understands, one line per finding naming the object and the field. */
export function traefikV2Syntax(objects: readonly KubeObject[]): string[] {
  const problems: string[] = [];
  for (const o of objects) {
    const name = `${o.kind}/${o.metadata.name}`;
    if (o.apiVersion.split('/')[0]!.endsWith('traefik.containo.us')) {
      problems.push(`${name}: apiVersion ${o.apiVersion}: Traefik 3 serves only the traefik.io group`);
    }
    const annotations = o.metadata.annotations ?? {};
    if (annotations['traefik.ingress.kubernetes.io/router.rulesyntax'] === 'v2') {
      problems.push(`${name}: annotation router.rulesyntax=v2 asks for the deprecated v2 rule syntax`);
    }
    if (o.apiVersion.startsWith('traefik.') && o.kind === 'Middleware') {
      for (const [middleware, { options, instead }] of Object.entries(REMOVED_OPTIONS)) {
        const spec = at(o.spec, middleware);
        if (spec === undefined) continue;
        if (options.length === 0) problems.push(`${name}: spec.${middleware} is removed in Traefik 3; use ${instead}`);
        for (const option of options) {
          if (at(spec, option) !== undefined) problems.push(`${name}: spec.${middleware}.${option} is removed in Traefik 3; use ${instead}`);
        }
      }
    }
    if (o.apiVersion.startsWith('traefik.')) {
      for (const [path, text] of strings(o.spec, 'spec')) {
        for (const { pattern, why } of V2_MATCHERS) if (pattern.test(text)) problems.push(`${name}: ${path} "${text}": ${why}`);
      }
    }
  }
  return problems;
}

function synth(env: Environment): KubeObject[] {
  return addCharts(Testing.app(), env).flatMap((chart) => Testing.synth(chart) as KubeObject[]);
}

describe('Traefik 3', () => {
  const environments = {
    example: environment(),
    'TLS, a host and the load generator': environment((raw) => {
      raw.apps.ingress = { host: 'wolke.example.com', tlsSecret: 'wolke-tls' };
      raw.apps.loadgen = { enabled: true };
    }),
  };

  for (const [name, env] of Object.entries(environments)) {
    it(`the manifests of ${name} use nothing only Traefik 2 understands`, () => {
      const objects = synth(env);
      // The Middleware and the annotated Ingresses are there to be checked.
      expect(objects.filter((o) => o.kind === 'Middleware').map((o) => o.apiVersion)).toEqual(['traefik.io/v1alpha1']);
      expect(objects.filter((o) => o.kind === 'Ingress' && o.metadata.annotations?.['traefik.ingress.kubernetes.io/router.middlewares'])).toHaveLength(1);
      expect(traefikV2Syntax(objects)).toEqual([]);
    });
  }

  it('names the old group, removed options, v2 rules and the v2 rule syntax annotation', () => {
    const v2: KubeObject[] = [
      { apiVersion: 'traefik.containo.us/v1alpha1', kind: 'Middleware', metadata: { name: 'strip' }, spec: { stripPrefix: { prefixes: ['/api'], forceSlash: true } } },
      { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'office' }, spec: { ipWhiteList: { sourceRange: ['10.0.0.0/8'] } } },
      { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'https' }, spec: { headers: { sslRedirect: true } } },
      {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name: 'web' },
        spec: { routes: [{ match: 'Host(`a.example.com`, `b.example.com`) && Headers(`X-Env`, `prod`)', kind: 'Rule' }, { match: 'PathPrefix(`/item/{id}`)', kind: 'Rule' }] },
      },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'old', annotations: { 'traefik.ingress.kubernetes.io/router.rulesyntax': 'v2' } } },
    ];
    expect(traefikV2Syntax(v2)).toEqual([
      'Middleware/strip: apiVersion traefik.containo.us/v1alpha1: Traefik 3 serves only the traefik.io group',
      'Middleware/strip: spec.stripPrefix.forceSlash is removed in Traefik 3; use nothing: Traefik 3 no longer adds a slash',
      'Middleware/office: spec.ipWhiteList is removed in Traefik 3; use ipAllowList (renamed in Traefik 3)',
      'Middleware/https: spec.headers.sslRedirect is removed in Traefik 3; use a redirectScheme middleware or permissionsPolicy',
      'IngressRoute/web: spec.routes.0.match "Host(`a.example.com`, `b.example.com`) && Headers(`X-Env`, `prod`)": Headers/HeadersRegexp are Header/HeaderRegexp in Traefik 3',
      'IngressRoute/web: spec.routes.0.match "Host(`a.example.com`, `b.example.com`) && Headers(`X-Env`, `prod`)": Traefik 3 matchers take one value; combine them with ||',
      'IngressRoute/web: spec.routes.1.match "PathPrefix(`/item/{id}`)": Path and PathPrefix take no {placeholders} in Traefik 3; use PathRegexp',
      'Ingress/old: annotation router.rulesyntax=v2 asks for the deprecated v2 rule syntax',
    ]);
    // The v3 forms of the same are accepted.
    expect(
      traefikV2Syntax([
        { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'office' }, spec: { ipAllowList: { sourceRange: ['10.0.0.0/8'] } } },
        { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute', metadata: { name: 'web' }, spec: { routes: [{ match: '(Host(`a.example.com`) || Host(`b.example.com`)) && Header(`X-Env`, `prod`) && PathRegexp(`^/item/[0-9]+$`)' }] } },
      ]),
    ).toEqual([]);
  });
});
