// P3: the main job (scripts/synth-all.ts) as a whole process — wall time and peak memory at 3, 30 and 100 nodes.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchmarkResult } from './result';
import { interleave, median } from './stats';
import { repoRoot } from './subject-process';

export interface SynthBenchOptions {
  rounds: number;
  /** Cluster sizes (servers + agents) to synthesize. */
  sizes: number[];
}

/** Servers and agents of an `n`-node cluster: one server up to 3 nodes, else three (an odd quorum), the rest agents. */
export function clusterShape(nodes: number): { servers: number; agents: number } {
  if (!Number.isInteger(nodes) || nodes < 2) throw new Error(`a cluster needs at least 2 nodes (got ${nodes})`);
  const servers = nodes <= 3 ? 1 : 3;
  return { servers, agents: nodes - servers };
}

/** The WOLKE_SET override for a cluster shape. */
export const shapeOverride = ({ servers, agents }: { servers: number; agents: number }): string =>
  `cluster.servers.count=${servers};cluster.agents.count=${agents}`;

interface SynthRun {
  wallMs: number;
  /** Peak resident set of the largest process, in MiB (GNU time's %M). */
  peakMiB: number;
  cpuSeconds: number;
}

/** Runs the main job the way `npm start` does (the tsx binary), under GNU time for peak RSS and CPU time. */
async function synthOnce(nodes: number): Promise<SynthRun> {
  const out = mkdtempSync(join(tmpdir(), 'wolke-bench-synth-'));
  const timeFile = join(out, 'time.txt');
  try {
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        '/usr/bin/time',
        ['-f', '%M %U %S', '-o', timeFile, join(repoRoot, 'node_modules', '.bin', 'tsx'), 'scripts/synth-all.ts'],
        {
          cwd: repoRoot,
          env: { ...process.env, WOLKE_ENV: 'example', WOLKE_SET: shapeOverride(clusterShape(nodes)), WOLKE_OUT: out },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (exitCode) => (exitCode === 0 ? resolve() : reject(new Error(`synth-all at ${nodes} nodes failed (${exitCode}):\n${stderr}`))));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const [maxKiB, user, system] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number) as [number, number, number];
    return { wallMs, peakMiB: maxKiB / 1024, cpuSeconds: user + system };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function runSynthBench(options: SynthBenchOptions, progress: (line: string) => void): Promise<BenchmarkResult> {
  execFileSync('/usr/bin/time', ['-f', '%M', 'true'], { stdio: 'ignore' });
  const runs = new Map<number, SynthRun[]>(options.sizes.map((n) => [n, []]));
  for (const [nodes, round] of interleave(options.sizes, options.rounds)) {
    const run = await synthOnce(nodes);
    runs.get(nodes)!.push(run);
    progress(`P3 ${nodes} nodes round ${round + 1}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.peakMiB.toFixed(0)} MiB, ${run.cpuSeconds.toFixed(2)} s CPU`);
  }
  const label = (n: number): string => {
    const shape = clusterShape(n);
    return `${n} nodes (${shape.servers} server${shape.servers > 1 ? 's' : ''} + ${shape.agents} agents)`;
  };
  const metric = (pick: (r: SynthRun) => number) =>
    options.sizes.map((n) => {
      const samples = runs.get(n)!.map(pick);
      return { subject: label(n), samples, median: median(samples) };
    });
  const wall = (n: number): number => median(runs.get(n)!.map((r) => r.wallMs / 1000));
  const smallest = Math.min(...options.sizes);
  const largest = Math.max(...options.sizes);
  return {
    id: 'P3',
    title: 'Synthesis of every layer (the main job)',
    setup: `\`tsx scripts/synth-all.ts\` (what \`npm start\` runs) as a whole process per cluster size, WOLKE_SET for the size; ${options.rounds} interleaved rounds, medians`,
    measurements: [
      { metric: 'wall time', unit: 's', better: 'lower', results: metric((r) => r.wallMs / 1000) },
      { metric: 'CPU time (user + system)', unit: 's', better: 'lower', results: metric((r) => r.cpuSeconds) },
      { metric: 'peak RSS', unit: 'MiB', better: 'lower', results: metric((r) => r.peakMiB) },
    ],
    targets: [
      { description: `≤ 1.5 s at ${smallest} nodes`, met: wall(smallest) <= 1.5, detail: `${wall(smallest).toFixed(2)} s` },
      {
        description: `${largest} nodes ≤ 2× ${smallest} nodes`,
        met: wall(largest) <= 2 * wall(smallest),
        detail: `${(wall(largest) / wall(smallest)).toFixed(2)}× (${wall(largest).toFixed(2)} s)`,
      },
    ],
    notes: [],
  };
}
