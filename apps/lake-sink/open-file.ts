// One file of the lake being filled from one topic partition: its rows, its offset range, and when it must roll.
import type { Row } from './records';

export interface RollLimits {
  /** Roll once the records' JSON reaches this many bytes (bounds memory). */
  bytes: number;
  /** Roll once the file has been open this long (bounds how stale the lake gets). */
  ms: number;
}

export class OpenFile {
  readonly rows: Row[] = [];
  /** Records sent to the dead-letter topic instead: in the range, not in the file. */
  deadLettered = 0;
  bytes = 0;
  lastOffset: bigint;

  /**
   * @param firstOffset offset of the file's first record
   * @param firstTimestamp Kafka timestamp of that record; places the file in its date and hour
   * @param openedAt wall-clock ms when the file was opened, for the time roll
   * @param mustEndAt the last offset of a file already uploaded from this offset but never committed (a crash
   *   between the two): this file must end there too, so it overwrites that object instead of overlapping it
   */
  constructor(
    readonly firstOffset: bigint,
    readonly firstTimestamp: number,
    readonly openedAt: number,
    readonly mustEndAt?: bigint,
  ) {
    this.lastOffset = firstOffset;
  }

  /** Whether the record at `offset` belongs to a later file (only when this one must end before it). */
  endsBefore(offset: bigint): boolean {
    return this.mustEndAt !== undefined && offset > this.mustEndAt;
  }

  add(row: Row, bytes: number): void {
    this.rows.push(row);
    this.bytes += bytes;
    this.lastOffset = row.offset;
  }

  skip(offset: bigint): void {
    this.deadLettered += 1;
    this.lastOffset = offset;
  }

  /** Whether the file is complete: its forced end reached, or (without one) full or old enough. */
  full(limits: RollLimits, now: number): boolean {
    if (this.mustEndAt !== undefined) return this.lastOffset >= this.mustEndAt;
    return this.bytes >= limits.bytes || now - this.openedAt >= limits.ms;
  }
}
