// Starts one Kubernetes control plane with kwok nodes shaped like the example environment for the `k8s` test project.
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadEnvironment } from '../../config/load';
import { startKubernetes } from '../../testbed/kubernetes';
import { environmentNodes, type TestbedNode } from '../../testbed/kubernetes-nodes';
import { kubernetesVersion } from '../../testbed/kubernetes-release';
import { createRunDir } from '../../testbed/run-dir';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test-bed cluster: an admin kubeconfig, the kubectl of the same release, and what it was started with. */
    kubernetes: {
      kubeconfig: string;
      kubectl: string;
      version: string;
      nodes: TestbedNode[];
      logDir: string;
      runDir: string;
    };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = loadEnvironment('example', '');
  const nodes = environmentNodes(env);
  // A directory of its own per run: other runs in this working tree may be using theirs right now.
  const runDir = createRunDir(resolve(__dirname, '..', '..', 'test-output', 'testbed'));
  const started = Date.now();
  const kube = await startKubernetes({ dir: resolve(runDir, 'kubernetes'), nodes, version: kubernetesVersion(env.cluster.k3sVersion) });
  console.log(
    `kubernetes ${kube.version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s with ${nodes.length} kwok nodes; ` +
      `KUBECONFIG=${kube.kubeconfig}`,
  );
  project.provide('kubernetes', { kubeconfig: kube.kubeconfig, kubectl: kube.kubectl, version: kube.version, nodes, logDir: kube.logDir, runDir });
  return async () => {
    const memory = kube.memoryMiB();
    const total = Object.values(memory).reduce((a, b) => a + b, 0);
    console.log(`kubernetes test bed resident memory: ${total} MiB (${Object.entries(memory).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    await kube.stop();
  };
}
