// Runs the test bed's kubectl against the test-bed cluster and reads what the API server reports.
import { spawnSync } from 'node:child_process';
import { inject } from 'vitest';

export interface KubectlResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Environment of a kubectl (or a shell pipeline around it) that talks to the test bed and nothing else. */
export function kubeEnv(): NodeJS.ProcessEnv {
  const { kubeconfig } = inject('kubernetes');
  return { ...process.env, KUBECONFIG: kubeconfig };
}

/** kubectl with `args`, optional stdin; never throws, the caller asserts on the result. */
export function kubectl(args: string[], input?: string): KubectlResult {
  const run = spawnSync(inject('kubernetes').kubectl, args, { input, encoding: 'utf8', env: kubeEnv(), maxBuffer: 64 << 20 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** kubectl with `-o json` that must succeed; the parsed answer. */
export function kubectlJson<T>(args: string[]): T {
  const run = kubectl([...args, '-o', 'json']);
  if (run.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** A Kubernetes object as kubectl prints it, only the parts the tests read. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    resourceVersion: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** `Kind/namespace/name`, for messages and maps. */
export function objectKey(o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`;
}
