// The rolling replacement, one step per apply: which spec every node runs after this apply, decided from what runs
// now. Pure: the preflight feeds it the servers the cloud reports.
import { canonicalSpec, nodeName, type NodeSpec } from '../../stacks/node-identity';

/** A node of the model: its slot and the spec the model wants for it. */
export interface WantedNode {
  slot: string;
  role: 'server' | 'agent';
  target: NodeSpec;
}

/** A server of the environment as the cloud reports it. */
export interface RunningNode {
  name: string;
  slot: string;
  role: 'server' | 'agent';
  /** The spec it was created from (its metadata); undefined when unreadable. */
  spec?: NodeSpec;
  imageId: string;
  status: string;
  /** Address on the cluster network. */
  privateIp?: string;
  /** ISO time of creation: among several servers of a slot, the newest is the current one. */
  created: string;
}

/** What one node runs after this apply. */
export interface PlannedNode extends NodeSpec {
  name: string;
  /** Image id the server boots; empty when the image name must be resolved by the caller. */
  imageId: string;
}

export interface RollStep {
  nodes: Record<string, PlannedNode>;
  /** Slots this apply moves from one spec to another, with the names they move between. */
  replacing: { slot: string; from: string; to: string }[];
  /** Slots still on another spec after this apply: later applies move them. */
  waiting: string[];
  /** Private address of a server of the existing cluster that stays up through this apply; empty: no cluster yet. */
  joinAddress: string;
}

export interface RollInput {
  /** Servers first, then agents: the order nodes are rolled in. */
  wanted: WantedNode[];
  running: RunningNode[];
  /** How many nodes one apply may replace; Infinity replaces every outdated node at once (forced). */
  surge: number;
}

const sameSpec = (a: NodeSpec | undefined, b: NodeSpec) => a !== undefined && canonicalSpec(a) === canonicalSpec(b);
const isUuid = (image: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(image);

/** The server a slot runs now: one already on the target spec, else the newest. */
function currentOf(slot: WantedNode, running: RunningNode[]): RunningNode | undefined {
  const own = running.filter((r) => r.slot === slot.slot).sort((a, b) => b.created.localeCompare(a.created));
  return own.find((r) => sameSpec(r.spec, slot.target)) ?? own[0];
}

/**
 * The image id for new servers of `image`: the id nodes of the same image already run (an image refreshed under the
 * same name is not picked up by accident), else empty for the caller to resolve.
 */
function pinnedImageId(image: string, running: RunningNode[]): string {
  if (isUuid(image)) return image;
  return running.find((r) => r.spec?.image === image && r.imageId)?.imageId ?? '';
}

export function planRoll(input: RollInput): RollStep {
  const nodes: Record<string, PlannedNode> = {};
  const replacing: RollStep['replacing'] = [];
  const waiting: string[] = [];
  for (const slot of input.wanted) {
    const current = currentOf(slot, input.running);
    const target = { ...slot.target, name: nodeName(slot.slot, slot.target), imageId: pinnedImageId(slot.target.image, input.running) };
    if (!current || sameSpec(current.spec, slot.target)) {
      nodes[slot.slot] = current ? { ...target, name: current.name, imageId: current.imageId } : target;
    } else if (replacing.length < input.surge) {
      nodes[slot.slot] = target;
      replacing.push({ slot: slot.slot, from: current.name, to: target.name });
    } else if (current.spec) {
      nodes[slot.slot] = { ...current.spec, name: current.name, imageId: current.imageId };
      waiting.push(slot.slot);
    } else {
      throw new Error(`${current.name} has no readable wolke-spec metadata, so it cannot wait for its turn in the roll; replace it now (WOLKE_ROLL_SURGE=all)`);
    }
  }
  const moving = new Set(replacing.map((r) => r.slot));
  const servers = input.running.filter((r) => r.role === 'server' && r.status === 'ACTIVE' && r.privateIp);
  const staying = servers.find((r) => !moving.has(r.slot) && nodes[r.slot]?.name === r.name);
  return { nodes, replacing, waiting, joinAddress: (staying ?? servers[0])?.privateIp ?? '' };
}
