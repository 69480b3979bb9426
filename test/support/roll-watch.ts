// Watches a deploy from outside, as an operator's dashboards would: the servers nova reports and the nodes Kubernetes
// reports, sampled about every second, so a test can say in which order nodes left and how many agents stayed Ready.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { OpenStackClient } from '../../scripts/openstack/client';

const run = promisify(execFile);

export interface Sample {
  at: number;
  servers: string[];
  /** Node name → Ready. */
  nodes: Record<string, boolean>;
}

export interface RollWatch {
  stop(): Promise<Sample[]>;
}

interface NodeList {
  items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
}

export function watchRoll(options: { user: OpenStackClient; prefix: string; kubectl: string; kubeconfig: string }): RollWatch {
  const samples: Sample[] = [];
  let stopped = false;
  const sample = async (): Promise<Sample> => {
    const [{ servers }, { stdout }] = await Promise.all([
      options.user.get<{ servers: { name: string }[] }>('compute', `/servers?name=${encodeURIComponent(`^${options.prefix}-`)}`),
      run(options.kubectl, ['--kubeconfig', options.kubeconfig, 'get', 'nodes', '-o', 'json'], { maxBuffer: 16 << 20 }),
    ]);
    const nodes = (JSON.parse(stdout) as NodeList).items.filter((n) => n.metadata.name.startsWith(`${options.prefix}-`));
    return {
      at: Date.now(),
      servers: servers.map((s) => s.name).sort(),
      nodes: Object.fromEntries(nodes.map((n) => [n.metadata.name, n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false])),
    };
  };
  const loop = (async () => {
    while (!stopped) {
      samples.push(await sample());
      await new Promise((r) => setTimeout(r, 1_000));
    }
    samples.push(await sample());
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

/** The index of the first sample from which `present` stays false, after it was true once; -1 if it never left. */
export function leftAt(samples: Sample[], present: (s: Sample) => boolean): number {
  const seen = samples.findIndex(present);
  if (seen < 0) return -1;
  const gone = samples.findIndex((s, i) => i > seen && !present(s));
  return gone < 0 || samples.slice(gone).some(present) ? -1 : gone;
}

/** The fewest Ready agents of the environment in any sample. */
export function fewestReadyAgents(samples: Sample[], prefix: string): number {
  return Math.min(...samples.map((s) => Object.entries(s.nodes).filter(([name, ready]) => ready && name.startsWith(`${prefix}-agent-`)).length));
}
