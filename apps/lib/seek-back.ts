// Sends a partition back to its committed offset when the fetch starts past it, because the member's state (open
// windows, detector states, an open lake file) can only be rebuilt from there.
import type { Consumer } from 'kafkajs';

export class SeekBack {
  /** Partitions sent back in this generation, and to which offset. */
  private readonly sought = new Map<string, string>();

  constructor(private readonly consumer: Consumer) {}

  /**
   * Whether the batch starting at `firstOffset` is past the committed offset; then it seeks back there and the caller
   * skips the batch. Only once per commit: a gap that remains (retention deleted records, a transaction marker) is
   * real, and seeking again would loop.
   */
  pastCommit(topic: string, partition: number, firstOffset: string, committed: string): boolean {
    const id = `${topic}/${partition}`;
    if (committed === '-1' || BigInt(firstOffset) <= BigInt(committed) || this.sought.get(id) === committed) return false;
    this.sought.set(id, committed);
    this.consumer.seek({ topic, partition, offset: committed });
    return true;
  }

  /** Forgets a partition's seek, so its next batch may seek again (after a failed batch). */
  forget(topic: string, partition: number): void {
    this.sought.delete(`${topic}/${partition}`);
  }

  /** Forgets every seek (a new generation). */
  clear(): void {
    this.sought.clear();
  }
}
