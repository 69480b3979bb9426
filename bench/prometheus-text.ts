// Reads one counter from a Prometheus text exposition (what an app's /metrics returns).

/** Value of the series `name` (with or without labels); undefined when it is absent. */
export function counterValue(exposition: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped}(?:\\{[^}]*\\})? ([-+0-9.eE]+|NaN|[+-]Inf)$`, 'm').exec(exposition);
  return match ? Number(match[1]) : undefined;
}

/** Value of the series `name` whose labels include every one of `labels`; undefined when there is none. */
export function seriesValue(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const line = new RegExp(`^${escaped}(?:\\{([^}]*)\\})? ([-+0-9.eE]+|NaN|[+-]Inf)$`, 'gm');
  for (const match of exposition.matchAll(line)) {
    const present = new Map([...(match[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    if (Object.entries(labels).every(([label, value]) => present.get(label) === value)) return Number(match[2]);
  }
  return undefined;
}
