// Count-window math of one partition: per-sensor windows, their results, and the offset that is safe to commit.
//
// Recovery rule (at-least-once, no window lost): the committed offset of a partition is the offset of the
// first event of its oldest still-open window, so a new owner re-reads every event of every open window.
// Re-reading from there would also meet events of sensors whose windows already closed after that offset;
// the commit metadata names, per such sensor, the offset before which its events are already in an
// emitted window, so those are skipped and every window is rebuilt exactly as it was.
import type { SensorEvent } from '../../contracts/sensor-event';
import type { WindowResult } from '../../contracts/window-result';

interface OpenWindow {
  sum: number;
  count: number;
  firstOffset: bigint;
}

/** Where a consumer of this partition resumes: commit `offset` with `metadata` (both for Kafka). */
export interface CommitPoint {
  offset: bigint;
  metadata: string;
}

const metadataVersion = 1;

/** Offset metadata as stored in Kafka: sensor → first offset not yet in an emitted window. */
interface CommitMetadata {
  v: typeof metadataVersion;
  skip: Record<string, string>;
}

/** Reads the skip map from commit metadata; empty for no metadata or metadata written by someone else. */
export function parseCommitMetadata(metadata: string | null | undefined): Map<string, bigint> {
  const skip = new Map<string, bigint>();
  if (!metadata) return skip;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return skip;
  }
  if (typeof parsed !== 'object' || parsed === null) return skip;
  const { v, skip: entries } = parsed as Partial<CommitMetadata>;
  if (v !== metadataVersion || typeof entries !== 'object' || entries === null) return skip;
  for (const [sensor, offset] of Object.entries(entries)) {
    if (typeof offset === 'string' && /^\d+$/.test(offset)) skip.set(sensor, BigInt(offset));
  }
  return skip;
}

export class PartitionWindows {
  private readonly open = new Map<string, OpenWindow>();
  /** sensor → offset before which its events are already in an emitted window. */
  private readonly skipBefore: Map<string, bigint>;
  /** Offset after the last event seen (or the offset resumed at); undefined until either is known. */
  private next: bigint | undefined;
  /** Whether an event or skipped offset has been seen since construction (else there is nothing to commit). */
  private seen = false;

  /**
   * @param windowSize events per window
   * @param metadata the commit metadata this partition resumes from (null on a fresh group)
   * @param resumeAt the committed offset it belongs to; events below it are ignored
   */
  constructor(
    private readonly windowSize: number,
    metadata: string | null = null,
    resumeAt?: bigint,
  ) {
    if (!Number.isInteger(windowSize) || windowSize < 1) {
      throw new Error(`PartitionWindows: windowSize must be a whole number of at least 1 (got ${windowSize})`);
    }
    this.skipBefore = parseCommitMetadata(metadata);
    this.next = resumeAt;
  }

  /**
   * Adds the event at `offset`; returns the result when it completes its sensor's window.
   * Offsets at or below one already seen are ignored, so a redelivered batch is harmless.
   */
  add(event: SensorEvent, offset: bigint): WindowResult | undefined {
    if (this.next !== undefined && offset < this.next) return undefined;
    this.next = offset + 1n;
    this.seen = true;
    const skipBefore = this.skipBefore.get(event.sensor);
    if (skipBefore !== undefined && offset < skipBefore) return undefined;

    let window = this.open.get(event.sensor);
    if (window === undefined) {
      window = { sum: 0, count: 0, firstOffset: offset };
      this.open.set(event.sensor, window);
    }
    window.sum += event.value;
    window.count += 1;
    if (window.count < this.windowSize) return undefined;

    this.open.delete(event.sensor);
    this.skipBefore.set(event.sensor, offset + 1n);
    return { sensor: event.sensor, avg: window.sum / window.count, count: window.count, windowEnd: event.ts };
  }

  /** Notes an offset that holds no sensor event (unparseable), so the commit can move past it. */
  skip(offset: bigint): void {
    if (this.next === undefined || offset >= this.next) {
      this.next = offset + 1n;
      this.seen = true;
    }
  }

  /** Events in the still-open window of `sensor` (0 when none is open). */
  openCount(sensor: string): number {
    return this.open.get(sensor)?.count ?? 0;
  }

  /** The offset and metadata to commit now; undefined before the first new event. */
  commitPoint(): CommitPoint | undefined {
    if (!this.seen || this.next === undefined) return undefined;
    let offset = this.next;
    for (const window of this.open.values()) {
      if (window.firstOffset < offset) offset = window.firstOffset;
    }
    const skip: Record<string, string> = {};
    for (const [sensor, before] of this.skipBefore) {
      // Entries at or below the commit offset can never matter again: re-reading starts after them.
      if (before > offset) skip[sensor] = before.toString();
      else this.skipBefore.delete(sensor);
    }
    const metadata: CommitMetadata = { v: metadataVersion, skip };
    return { offset, metadata: JSON.stringify(metadata) };
  }
}
