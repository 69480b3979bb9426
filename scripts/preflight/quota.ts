// Quota arithmetic of the preflight (pure): what a deploy needs at its peak against what the project may still use.

/** One quota: its limit (-1 unlimited) and what the project uses now. */
export interface QuotaUse {
  limit: number;
  used: number;
}

export interface QuotaNeed {
  /** Quota name as the cloud calls it (instances, cores, ram, floatingip, port). */
  name: string;
  /** How much more the deploy takes at its peak. */
  more: number;
  /** How it is counted, for the message. */
  why: string;
  /** Unit for the message, e.g. "MiB". */
  unit?: string;
}

/**
 * One line per quota the deploy would exceed. New nodes are created before the nodes they replace are destroyed
 * (create-before-destroy), so every new node counts on top of what the project uses now.
 */
export function quotaShortfalls(needs: QuotaNeed[], quotas: Record<string, QuotaUse | undefined>): string[] {
  const lines: string[] = [];
  for (const need of needs) {
    const quota = quotas[need.name];
    if (!quota || quota.limit < 0 || need.more === 0) continue;
    const peak = quota.used + need.more;
    if (peak > quota.limit) {
      const unit = need.unit ? ` ${need.unit}` : '';
      lines.push(
        `quota ${need.name} too small: the deploy needs ${peak}${unit} at its peak (${quota.used}${unit} in use + ${need.more}${unit} for ${need.why}) ` +
          `but the project's limit is ${quota.limit}${unit}; ask your cloud admin to raise it, or plan fewer or smaller nodes`,
      );
    }
  }
  return lines;
}
