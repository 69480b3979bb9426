// The control plane, etcd and kwok that testbed/kubernetes-build.sh builds into the cache, and kwok's stage files.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { runScriptOutputs } from './script-outputs';

/** Paths testbed/kubernetes-build.sh prints. */
export interface KubernetesBinaries {
  version: string;
  bin: string;
  etcd: string;
  kwok: string;
  kwokStages: string;
  traefikCrds: string;
}

const repoRoot = resolve(__dirname, '..');
/** kwok's stage sets, in its module: node start and heartbeat, and pods that become ready (or complete, for Jobs) at once. */
const KWOK_STAGE_SETS = ['node/fast', 'node/heartbeat', 'pod/fast'];
/** Builds the control plane, etcd and kwok into the cache when missing (10 to 20 minutes of two cores, once) and finds them. */
export function ensureKubernetesBinaries(version?: string): KubernetesBinaries {
  const value = runScriptOutputs(join(__dirname, 'kubernetes-build.sh'), version ? [version] : [], repoRoot);
  return {
    version: value('KUBERNETES_VERSION'),
    bin: value('KUBERNETES_BIN'),
    etcd: value('ETCD'),
    kwok: value('KWOK'),
    kwokStages: value('KWOK_STAGES'),
    traefikCrds: value('TRAEFIK_CRDS'),
  };
}

/** The stage files of kwok's sets, as their kustomization.yaml lists them. */
export function kwokStageFiles(stagesDir: string, sets: readonly string[] = KWOK_STAGE_SETS): string[] {
  return sets.flatMap((set) => {
    const kustomization = parse(readFileSync(join(stagesDir, set, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
    return (kustomization.resources ?? []).map((file) => join(stagesDir, set, file));
  });
}
