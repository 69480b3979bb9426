// rollback: `kubectl rollout undo` of the apps' Deployments on the first server; the model is left as it is.
import type { Environment } from '../../config/schema';
import { releasedApps } from '../release/model-edits';
import { kubectl, requireInventory, requireTools } from './cluster';
import { CommandFailure, UsageError } from './failure';
import type { Io } from './io';

/** The apps that run as Deployments; setup and loadgen are Jobs, Kafka and MinIO StatefulSets. */
export const rollbackApps: readonly string[] = releasedApps.filter((a) => a !== 'setup' && a !== 'loadgen');

/** Refuses an app that has no Deployment to roll back, before anything runs. */
export function checkRollbackApps(apps: readonly string[]): string[] {
  const unknown = apps.filter((a) => !rollbackApps.includes(a));
  if (unknown.length > 0) throw new UsageError(`rollback: unknown app ${unknown.join(', ')}; use one of ${rollbackApps.join(', ')}`);
  return apps.length > 0 ? [...apps] : [...rollbackApps];
}

export function rollback(io: Io, env: Environment, apps: readonly string[]): void {
  requireTools(io, ['ansible']);
  requireInventory(io, env);
  const done: string[] = [];
  for (const app of apps) {
    try {
      io.out(kubectl(io, env, `rolling back ${app}`, ['-n', env.apps.namespace, 'rollout', 'undo', `deployment/${app}`]).trim());
    } catch (error) {
      const rolled = done.length > 0 ? ` (rolled back before it: ${done.join(', ')})` : '';
      throw new CommandFailure(`${(error as Error).message}${rolled}`);
    }
    done.push(app);
  }
  io.out(
    'The model still names the versions you rolled back from; the next deploy brings them back. ' +
      'Make the rollback stick with `npx wolke release <previous version> [app]`.',
  );
}
