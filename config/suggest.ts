// The known key nearest to a misspelt one (`flavour` → `flavor`, `k3s_version` → `k3sVersion`), read from the schema.
import type { core } from 'zod';

type Schema = core.$ZodType;

/** Unwraps the schemas that only wrap another (optional, default, pipe...) down to what holds the keys. */
function innerOf(schema: Schema): Schema[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return innerOf(def.innerType as Schema);
    case 'pipe':
      return innerOf(def.in as Schema);
    case 'union':
      return (def.options as Schema[]).flatMap(innerOf);
    default:
      return [schema];
  }
}

function childAt(schema: Schema, key: PropertyKey): Schema[] {
  return innerOf(schema).flatMap((s) => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    if (def.type === 'object') {
      const shape = def.shape as Record<string, Schema>;
      return typeof key === 'string' && key in shape ? [shape[key]] : [];
    }
    if (def.type === 'array') return [def.element as Schema];
    if (def.type === 'record') return [def.valueType as Schema];
    return [];
  });
}

/** The keys the schema knows for the object at `path`. */
export function knownKeysAt(root: Schema, path: readonly PropertyKey[]): string[] {
  let nodes: Schema[] = [root];
  for (const key of path) nodes = nodes.flatMap((n) => childAt(n, key));
  const keys = nodes.flatMap(innerOf).flatMap((s) => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    return def.type === 'object' ? Object.keys(def.shape as object) : [];
  });
  return [...new Set(keys)];
}

/** Edit distance with transpositions (optimal string alignment): `flaovr` is one edit from `flavor`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Case, "_" and "-" are the commonest slips (`k3s_version`, `AdminCidrs`); they cost nothing here. */
const canonical = (key: string) => key.toLowerCase().replace(/[-_]/g, '');

/**
 * The known key a misspelt one most likely means: same letters apart from case, "_" and "-", or at most two
 * edits away (one for keys of up to four letters), and only when one key is nearest.
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const same = known.filter((k) => canonical(k) === canonical(key));
  if (same.length === 1) return same[0];
  const limit = key.length <= 4 ? 1 : 2;
  const scored = known.map((k) => ({ k, d: editDistance(canonical(key), canonical(k)) })).filter((s) => s.d <= limit);
  const best = Math.min(...scored.map((s) => s.d));
  const nearest = scored.filter((s) => s.d === best);
  return nearest.length === 1 ? nearest[0].k : undefined;
}
