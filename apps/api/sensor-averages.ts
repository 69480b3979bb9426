// The latest window average of every sensor, as read from the `results` topic, with listeners for live updates.
import type { WindowResultRead } from '../../contracts/window-result';

/** A sensor's window average as the API read it from `results`. */
export type SensorAverage = WindowResultRead;

export type AverageListener = (average: SensorAverage) => void;

/** Keeps one average per sensor; an older window (by windowEnd) never replaces a newer one, so a replay is harmless. */
export class SensorAverages {
  private readonly latest = new Map<string, SensorAverage>();
  private readonly listeners = new Set<AverageListener>();

  /** Records an average; returns whether it changed what `GET /sensors` shows. */
  apply(average: SensorAverage): boolean {
    const current = this.latest.get(average.sensor);
    if (current !== undefined && current.windowEnd > average.windowEnd) return false;
    this.latest.set(average.sensor, average);
    for (const listener of this.listeners) listener(average);
    return true;
  }

  /** Every sensor's latest average, sorted by sensor id. */
  snapshot(): SensorAverage[] {
    return [...this.latest.values()].sort((a, b) => a.sensor.localeCompare(b.sensor));
  }

  /** Calls the listener for every later change; returns the function that unsubscribes it. */
  subscribe(listener: AverageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
