// Reaching an environment's cluster: its inventory, the tools it needs, and kubectl on the first server via Ansible.
import { join, relative, resolve } from 'node:path';
import { ANSIBLE_DIR, environmentPaths } from '../../config/repository-paths';
import type { Environment } from '../../config/schema';
import { ansibleOutcome } from './ansible';
import { CommandFailure } from './failure';
import type { Io } from './io';

export const repoRoot = resolve(__dirname, '..', '..');

/** A path as the operator reads it: relative inside the repository, absolute outside. */
export function displayPath(file: string): string {
  const inside = relative(repoRoot, file);
  return inside && !inside.startsWith('..') ? inside : file;
}

/** The inventory `cdktf deploy` writes for an environment; it exists once the cluster does. */
export const inventoryOf = (env: Environment) => join(repoRoot, environmentPaths(env.name).inventory);

/** Ansible's settings for wolke's playbooks, plus the json callback for commands whose output we read. */
export function ansibleEnv(io: Io, json = false): NodeJS.ProcessEnv {
  return {
    ...io.env,
    ANSIBLE_CONFIG: join(repoRoot, ANSIBLE_DIR, 'ansible.cfg'),
    ...(json ? { ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_STDOUT_CALLBACK: 'json' } : {}),
  };
}

/** Refuses, in one line, when a program the command needs is not installed. */
export function requireTools(io: Io, programs: readonly string[]): void {
  const missing = programs.filter((p) => !io.onPath(p));
  if (missing.length > 0) {
    throw new CommandFailure(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed (not on the PATH); install ansible-core, e.g. pipx install ansible-core`);
  }
}

/** The inventory of an existing cluster, or a one-line refusal saying how to create the cluster. */
export function requireInventory(io: Io, env: Environment): string {
  const inventory = inventoryOf(env);
  if (!io.exists(inventory)) {
    throw new CommandFailure(
      `environment ${env.name} has no cluster yet (no ${relative(repoRoot, inventory)}); create it first: WOLKE_ENV=${env.name} npx cdktf deploy`,
    );
  }
  return inventory;
}

/** Runs an ad-hoc module on the first server; returns its stdout or throws its cause in one line. */
function onFirstServer(io: Io, env: Environment, what: string, module: string, moduleArgs?: string): string {
  const args = ['server[0]', '-i', requireInventory(io, env), '--become', '-m', module, ...(moduleArgs ? ['-a', moduleArgs] : [])];
  return ansibleOutcome(io.capture('ansible', args, ansibleEnv(io, true)), what);
}

/** Checks that the first server answers over SSH, so nothing is written for a cluster that cannot be reached. */
export function requireReachable(io: Io, env: Environment): void {
  onFirstServer(io, env, `reaching ${env.name}`, 'ansible.builtin.ping');
}

/** Runs kubectl on the first server, so this machine needs neither kubectl nor a route to port 6443. */
export function kubectl(io: Io, env: Environment, what: string, args: readonly string[]): string {
  return onFirstServer(io, env, what, 'ansible.builtin.command', ['/usr/local/bin/k3s', 'kubectl', ...args].join(' '));
}
