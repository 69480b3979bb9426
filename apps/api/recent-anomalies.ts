// The most recent anomalies the detector flagged, newest first, each reading once (the detector may repeat one after
// a restart, with the same id).
import type { Anomaly } from '../../contracts/anomaly';

export class RecentAnomalies {
  private readonly byId = new Map<string, Anomaly>();

  /** @param keep how many anomalies are kept in total; the oldest readings go first. */
  constructor(private readonly keep: number) {}

  add(anomaly: Anomaly): void {
    this.byId.set(anomaly.id, anomaly);
    if (this.byId.size > this.keep) {
      const oldest = [...this.byId.values()].sort((a, b) => a.ts - b.ts).slice(0, this.byId.size - this.keep);
      for (const a of oldest) this.byId.delete(a.id);
    }
  }

  /** Newest reading first, of one sensor when given, at most `limit`. */
  list(options: { sensor?: string; limit: number }): Anomaly[] {
    return [...this.byId.values()]
      .filter((a) => options.sensor === undefined || a.sensor === options.sensor)
      .sort((a, b) => b.ts - a.ts || (a.id < b.id ? -1 : 1))
      .slice(0, options.limit);
  }
}
