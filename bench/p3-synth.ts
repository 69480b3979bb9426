// P3: synthesis as whole processes — the main job (`npm start`'s command) at 3, 30 and 100 nodes, and cdktf's own
// synth step (cdktf.json's `app` command), each beside the same entry run through tsx as before they were bundled.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { BenchmarkResult, SubjectSamples } from './result';
import { interleave, median, speedup } from './stats';
import { repoRoot } from './subject-process';

export interface SynthBenchOptions {
  rounds: number;
  /** Cluster sizes (servers + agents) to synthesize with the main job; the smallest is also the size of the rest. */
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

/** A command as npm and cdktf run one: through the shell, in the repository, with node_modules/.bin on the PATH. */
interface Subject {
  name: string;
  command: string;
  /** What the process writes its output under: `WOLKE_OUT` for the main job, `CDKTF_OUTDIR` for cdktf's app. */
  outputVariable: 'WOLKE_OUT' | 'CDKTF_OUTDIR';
}

interface SynthRun {
  wallMs: number;
  /** Peak resident set of the largest process, in MiB (GNU time's %M). */
  peakMiB: number;
  cpuSeconds: number;
}

/** The commands users run: `npm start`'s script and cdktf.json's `app`, read from the files so the bench follows them. */
export function projectCommands(root: string = repoRoot): { mainJob: string; cdktfApp: string } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const cdktf = JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')) as { app: string };
  return { mainJob: pkg.scripts.start!, cdktfApp: cdktf.app };
}

/** Runs a subject once under GNU time for peak RSS and CPU time. */
async function synthOnce(subject: Subject, nodes: number): Promise<SynthRun> {
  const out = mkdtempSync(join(tmpdir(), 'wolke-bench-synth-'));
  const timeFile = join(out, 'time.txt');
  try {
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, 'sh', '-c', subject.command], {
        cwd: repoRoot,
        env: {
          ...process.env,
          PATH: `${join(repoRoot, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
          WOLKE_ENV: 'example',
          WOLKE_SET: shapeOverride(clusterShape(nodes)),
          [subject.outputVariable]: join(out, 'out'),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (exitCode) =>
        exitCode === 0 ? resolve() : reject(new Error(`${subject.name} at ${nodes} nodes failed (${exitCode}):\n${stderr}`)),
      );
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
  const { mainJob, cdktfApp } = projectCommands();
  const main: Subject = { name: 'main job', command: mainJob, outputVariable: 'WOLKE_OUT' };
  const mainTsx: Subject = { name: 'main job through tsx', command: 'tsx scripts/synth-all.ts', outputVariable: 'WOLKE_OUT' };
  const app: Subject = { name: 'cdktf app', command: cdktfApp, outputVariable: 'CDKTF_OUTDIR' };
  const appTsx: Subject = { name: 'cdktf app through tsx', command: 'npx tsx main.ts', outputVariable: 'CDKTF_OUTDIR' };
  const smallest = Math.min(...options.sizes);
  const largest = Math.max(...options.sizes);
  const cases: [Subject, number][] = [
    ...options.sizes.map((n) => [main, n] as [Subject, number]),
    [mainTsx, smallest],
    [app, smallest],
    [appTsx, smallest],
  ];
  const label = ([subject, nodes]: [Subject, number]): string => `${subject.name}, ${nodes} nodes`;

  // Unmeasured first runs: the bundles are built and V8's code cache and tsx's cache filled, as after any edit.
  for (const c of [[main, smallest], [app, smallest], [mainTsx, smallest], [appTsx, smallest]] as [Subject, number][]) {
    await synthOnce(...c);
  }
  const runs = new Map<string, SynthRun[]>(cases.map((c) => [label(c), []]));
  for (const [c, round] of interleave(cases, options.rounds)) {
    const run = await synthOnce(...c);
    runs.get(label(c))!.push(run);
    progress(`P3 ${label(c)} round ${round + 1}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.peakMiB.toFixed(0)} MiB, ${run.cpuSeconds.toFixed(2)} s CPU`);
  }

  const results = (subjects: [Subject, number][], pick: (r: SynthRun) => number): SubjectSamples[] =>
    subjects.map((c) => {
      const samples = runs.get(label(c))!.map(pick);
      return { subject: label(c), samples, median: median(samples) };
    });
  const wall = (c: [Subject, number]): number => median(runs.get(label(c))!.map((r) => r.wallMs / 1000));
  const sizes = options.sizes.map((n) => [main, n] as [Subject, number]);
  const seconds = (s: number): string => `${s.toFixed(2)} s`;
  return {
    id: 'P3',
    title: 'Synthesis: the main job and cdktf’s synth step',
    setup:
      `\`${mainJob}\` (what \`npm start\` runs) per cluster size, and at ${smallest} nodes beside \`tsx scripts/synth-all.ts\` ` +
      `(the same entry through tsx); cdktf.json's app \`${cdktfApp}\` (the synth step of \`cdktf synth\`/\`diff\`) beside ` +
      `\`npx tsx main.ts\`; whole processes through sh as npm and cdktf run them, WOLKE_SET for the size; ` +
      `one unmeasured run each first (bundles and caches filled), then ${options.rounds} interleaved rounds, medians`,
    measurements: [
      { metric: 'main job wall time by size', unit: 's', better: 'lower', results: results(sizes, (r) => r.wallMs / 1000) },
      { metric: 'main job CPU time (user + system)', unit: 's', better: 'lower', results: results(sizes, (r) => r.cpuSeconds) },
      { metric: 'main job peak RSS', unit: 'MiB', better: 'lower', results: results(sizes, (r) => r.peakMiB) },
      {
        metric: `main job wall time, bundled vs tsx`,
        unit: 's',
        better: 'lower',
        results: results([[main, smallest], [mainTsx, smallest]], (r) => r.wallMs / 1000),
      },
      {
        metric: `cdktf synth step wall time, bundled vs tsx`,
        unit: 's',
        better: 'lower',
        results: results([[app, smallest], [appTsx, smallest]], (r) => r.wallMs / 1000),
      },
      {
        metric: `cdktf synth step CPU time, bundled vs tsx`,
        unit: 's',
        better: 'lower',
        results: results([[app, smallest], [appTsx, smallest]], (r) => r.cpuSeconds),
      },
    ],
    targets: [
      { description: `main job ≤ 1.5 s at ${smallest} nodes`, met: wall([main, smallest]) <= 1.5, detail: seconds(wall([main, smallest])) },
      {
        description: `main job at ${largest} nodes ≤ 2× ${smallest} nodes`,
        met: wall([main, largest]) <= 2 * wall([main, smallest]),
        detail: `${(wall([main, largest]) / wall([main, smallest])).toFixed(2)}× (${seconds(wall([main, largest]))})`,
      },
      { description: `cdktf synth step ≤ 3 s at ${smallest} nodes`, met: wall([app, smallest]) <= 3, detail: seconds(wall([app, smallest])) },
    ],
    notes: [
      `bundled vs tsx: main job ${speedup(wall([main, smallest]), wall([mainTsx, smallest]), 'lower').toFixed(2)}× faster, ` +
        `cdktf synth step ${speedup(wall([app, smallest]), wall([appTsx, smallest]), 'lower').toFixed(2)}× faster (wall, medians)`,
    ],
  };
}
