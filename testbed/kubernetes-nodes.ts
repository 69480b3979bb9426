// The test-bed cluster's nodes: Node objects kwok keeps alive, shaped like an environment's k3s servers and agents
// (names, the labels and taints the Ansible roles give them, the flavor's CPU, memory and disk).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Environment } from '../config/schema';
import { AGENT_LABELS } from '../stacks/ansible-vars';
import { nodeName, wantedNodes } from '../stacks/node-identity';
import { flavor } from './flavors';

/** One node of the test-bed cluster. */
export interface TestbedNode {
  readonly name: string;
  readonly role: 'server' | 'agent';
  /** OpenStack flavor; it sets the node's capacity. */
  readonly flavor: string;
}

/** Annotation kwok manages nodes by (its `--manage-nodes-with-annotation-selector`). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export interface NodeShape {
  /** Labels of every agent, `key=value` (k3s_agent_labels, which the stack hands the k3s_agent role). */
  agentLabels: string[];
  /** Taints of every server, `key[=value]:Effect` (ansible/roles/k3s_server: k3s_server_taints). */
  serverTaints: string[];
}

const ansibleRoles = resolve(__dirname, '..', 'ansible', 'roles');

/** The labels and taints the Ansible roles put on real nodes: the stack's agent labels, the servers' taints from the role's defaults. */
export function ansibleNodeShape(roles: string = ansibleRoles): NodeShape {
  const defaults = (role: string) => parse(readFileSync(join(roles, role, 'defaults', 'main.yml'), 'utf8')) as Record<string, unknown>;
  const list = (value: unknown, what: string): string[] => {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${what} is not a list of strings`);
    return value;
  };
  return {
    agentLabels: [...AGENT_LABELS],
    serverTaints: list(defaults('k3s_server').k3s_server_taints, 'k3s_server_taints'),
  };
}

/** `key[=value]:Effect` → a Node taint. */
export function parseTaint(text: string): { key: string; value?: string; effect: string } {
  const match = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(text);
  if (!match) throw new Error(`not a taint: ${text} (want key[=value]:Effect)`);
  return { key: match[1]!, ...(match[2] === undefined ? {} : { value: match[2] }), effect: match[3]! };
}

/** `key=value` → [key, value]. */
export function parseLabel(text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`not a label: ${text} (want key=value)`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/**
 * What a kubelet on a node of this flavor reports: capacity is the machine; allocatable is capacity less the
 * kubelet's default hard eviction thresholds (memory.available<100Mi, nodefs.available<10%), as k3s leaves them.
 */
export function nodeResources(flavorName: string): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const f = flavor(flavorName);
  const diskKi = f.diskGiB * 1024 * 1024;
  return {
    capacity: { cpu: String(f.vcpus), memory: `${f.ramMiB}Mi`, 'ephemeral-storage': `${diskKi}Ki`, pods: '110' },
    allocatable: {
      cpu: String(f.vcpus),
      memory: `${f.ramMiB - 100}Mi`,
      'ephemeral-storage': `${Math.floor(diskKi * 0.9)}Ki`,
      pods: '110',
    },
  };
}

/** The Node object of a test-bed node: kwok's annotation but not kwok's usual taint, which the apps do not tolerate. */
export function nodeObject(node: TestbedNode, shape: NodeShape, kubeletVersion: string): Record<string, unknown> {
  const server = node.role === 'server';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake' },
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        // k3s labels its servers so; agents get the labels the Ansible role configures.
        ...(server
          ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' }
          : Object.fromEntries(shape.agentLabels.map(parseLabel))),
      },
    },
    spec: server ? { taints: shape.serverTaints.map(parseTaint) } : {},
    // A kubelet registers its node with its status; kwok's node stages keep what is given here.
    status: { ...nodeResources(node.flavor), nodeInfo: { kubeletVersion, architecture: 'amd64', operatingSystem: 'linux' } },
  };
}

/** The servers and agents of an environment, named as the cluster stack names the OpenStack servers. */
export function environmentNodes(env: Environment): TestbedNode[] {
  return wantedNodes(env).map((n) => ({ role: n.role, flavor: n.target.flavor, name: nodeName(n.slot, n.target) }));
}
