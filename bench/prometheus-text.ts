// Reads one counter from a Prometheus text exposition (what an app's /metrics returns).

/** Value of the series `name` (with or without labels); undefined when it is absent. */
export function counterValue(exposition: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped}(?:\\{[^}]*\\})? ([-+0-9.eE]+|NaN|[+-]Inf)$`, 'm').exec(exposition);
  return match ? Number(match[1]) : undefined;
}
