// Deploys an environment onto its running cluster: synthesize dist/<env>, then ansible/deploy.yml on the first server.
import { join, relative } from 'node:path';
import { environmentPaths, playbookPath } from '../../config/repository-paths';
import type { Environment } from '../../config/schema';
import { playbookExit } from './ansible';
import { ansibleEnv, repoRoot, requireInventory, requireReachable, requireTools } from './cluster';
import { CommandFailure } from './failure';
import type { Io } from './io';

/** The checks before anything is written for a deploy: tools, a cluster, and a first server that answers. */
export function checkDeployable(io: Io, env: Environment): void {
  requireTools(io, ['ansible', 'ansible-playbook']);
  requireInventory(io, env);
  requireReachable(io, env);
}

/** Writes the manifests; a failure is one line, before the model or the cluster is touched. */
export async function synthesize(io: Io, env: Environment): Promise<void> {
  try {
    const file = await io.synthesize(env, join(repoRoot, environmentPaths(env.name).manifests));
    io.out(`synthesized ${relative(repoRoot, file)}`);
  } catch (error) {
    throw new CommandFailure(`synthesizing the manifests of ${env.name} failed: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Applies the synthesized manifests; throws the playbook's exit and its meaning in one line. */
export async function applyManifests(io: Io, env: Environment): Promise<void> {
  const args = ['-i', requireInventory(io, env), join(repoRoot, playbookPath('deploy.yml'))];
  io.out(`$ ansible-playbook ${args.map((a) => relative(repoRoot, a) || a).join(' ')}`);
  let code: number | null;
  try {
    code = await io.stream('ansible-playbook', args, ansibleEnv(io));
  } catch (error) {
    throw new CommandFailure(`ansible-playbook could not start: ${(error as Error).message}`);
  }
  if (code !== 0) throw new CommandFailure(`ansible-playbook ansible/deploy.yml failed (${playbookExit(code)}); its output above says where`);
}
