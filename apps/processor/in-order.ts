// Tracks messages that finish in any order and says which offsets may be committed: only an unbroken prefix.

/** Completion of a batch's messages, 0..count-1, which finish out of order. */
export class InOrderCompletion {
  private readonly done: boolean[];
  private next = 0;

  constructor(count: number) {
    this.done = Array.from({ length: count }, () => false);
  }

  /**
   * Marks message `index` done and returns the indexes that just joined the unbroken done prefix, in order
   * (empty while an earlier message is still running): exactly the offsets that are now safe to resolve.
   */
  complete(index: number): number[] {
    if (index < 0 || index >= this.done.length) throw new RangeError(`no message ${index} in a batch of ${this.done.length}`);
    this.done[index] = true;
    const released: number[] = [];
    while (this.next < this.done.length && this.done[this.next]) {
      released.push(this.next);
      this.next += 1;
    }
    return released;
  }

  /** How many messages, from the first, are done without a gap. */
  get prefix(): number {
    return this.next;
  }
}
