// The in-memory state a group member keeps per partition of the topic it reads (open windows, detector states), which
// only the committed offset and its metadata can rebuild: dropped on every join and after a failed batch, restored
// from the commit on the partition's next batch.
import type { EachBatchPayload } from 'kafkajs';
import type { CommitPoint, GroupMember } from './group-member';
import { SeekBack } from './seek-back';

export class PartitionStates<S> {
  private readonly states = new Map<number, S>();
  private member?: { group: GroupMember; seekBack: SeekBack };

  constructor(
    /** The topic whose partitions the states belong to. */
    private readonly topic: string,
    /** Told which partitions' states went and why; they are rebuilt by re-reading from the commit. */
    private readonly dropped: (partitions: number[], reason: string) => void,
  ) {}

  /** Binds the states to the member whose commits restore them; call right after joinGroup. */
  attach(group: GroupMember): void {
    this.member = { group, seekBack: new SeekBack(group.consumer) };
  }

  /** kafkajs resumes every partition (kept or new) from its committed offset after a rebalance: every state goes. */
  rejoined(): void {
    if (this.states.size > 0) this.dropped([...this.states.keys()], 'rebalance');
    this.states.clear();
    this.member?.seekBack.clear();
  }

  /**
   * The state of `partition` for a batch starting at `firstOffset`, restored with `restore` from the committed point
   * when there is none; undefined when the fetch is past the commit, a seek back there has started and the caller
   * skips the batch.
   */
  async of(partition: number, firstOffset: string, restore: (point: CommitPoint) => S): Promise<S | undefined> {
    const current = this.states.get(partition);
    if (current !== undefined) return current;
    if (this.member === undefined) throw new Error('PartitionStates used before attach()');
    const point = await this.member.group.committed(this.topic, partition);
    if (this.member.seekBack.pastCommit(this.topic, partition, firstOffset, point.offset)) {
      this.dropped([partition], `fetch at ${firstOffset} is past the committed offset ${point.offset}`);
      return undefined;
    }
    const state = restore(point);
    this.states.set(partition, state);
    return state;
  }

  /**
   * Reads the topic batch by batch from the group's commits (from the beginning without one), offsets resolved and
   * committed by `handleBatch` itself. A batch that fails drops its partition's state, which may hold records whose
   * output was never sent, so the next batch rebuilds it from the last commit whatever kafkajs does with this one.
   */
  async consume(handleBatch: (payload: EachBatchPayload) => Promise<void>): Promise<void> {
    if (this.member === undefined) throw new Error('PartitionStates used before attach()');
    const { consumer } = this.member.group;
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        try {
          await handleBatch(payload);
        } catch (error) {
          this.failed(payload.batch.partition, error);
          throw error;
        }
      },
    });
  }

  /** Forgets a partition's state whose batch will be read again (a pending seek makes it stale). */
  discard(partition: number): void {
    this.states.delete(partition);
  }

  /** A batch failed: the state may hold records whose output was never sent, so it is rebuilt from the last commit. */
  private failed(partition: number, error: unknown): void {
    this.states.delete(partition);
    this.member?.seekBack.forget(this.topic, partition);
    this.dropped([partition], error instanceof Error ? error.message : String(error));
  }
}
