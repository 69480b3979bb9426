// Kubernetes moves one minor release at a time: a roll may put the model's k3s beside nodes of the same or the
// previous minor, never further (the skew policy of kube-apiserver and etcd), and never back.
import type { RunningNode } from './roll';

const minorOf = (k3sVersion: string): number | undefined => {
  const minor = /^v1\.(\d+)\./.exec(k3sVersion)?.[1];
  return minor === undefined ? undefined : Number(minor);
};

/** Why the model's k3s release cannot roll onto the running nodes, or undefined when it can. */
export function k3sVersionSkew(running: RunningNode[], target: string): string | undefined {
  const to = minorOf(target);
  if (to === undefined) return undefined;
  const nodes = running
    .map((node) => ({ node, version: node.spec?.k3sVersion, minor: node.spec && minorOf(node.spec.k3sVersion) }))
    .filter((n): n is { node: RunningNode; version: string; minor: number } => n.minor !== undefined && n.version !== undefined);
  const behind = nodes.filter((n) => to - n.minor > 1).sort((a, b) => a.minor - b.minor);
  if (behind.length > 0) {
    const oldest = behind[0]!;
    return (
      `cluster.k3sVersion ${target} is ${to - oldest.minor} minor releases ahead of ${oldest.version}, which ` +
      `${behind.map((n) => n.node.name).join(', ')} run${behind.length === 1 ? 's' : ''}; Kubernetes upgrades one minor at a time: ` +
      `set v1.${oldest.minor + 1}.x first and deploy until nodes_waiting_to_roll is empty, then the next minor`
    );
  }
  const ahead = nodes.filter((n) => n.minor > to);
  if (ahead.length > 0) {
    return (
      `cluster.k3sVersion ${target} is older than ${ahead[0]!.version}, which ${ahead.map((n) => n.node.name).join(', ')} ` +
      `run${ahead.length === 1 ? 's' : ''}; Kubernetes does not support downgrades: put the running release back in the model`
    );
  }
  return undefined;
}
