// status: the model's images next to the workloads the cluster runs, read with kubectl on the first server.
import { ENVIRONMENT_LABEL } from '../../charts/defaults';
import type { Environment } from '../../config/schema';
import { compareWithModel, formatStatus, type Workload } from '../release/cluster-status';
import { kubectl, requireInventory, requireTools } from './cluster';
import { CommandFailure } from './failure';
import type { Io } from './io';

export function status(io: Io, env: Environment): void {
  requireTools(io, ['ansible']);
  requireInventory(io, env);
  const json = kubectl(io, env, `reading the workloads of ${env.name}`, [
    '-n',
    env.apps.namespace,
    'get',
    'deployments,statefulsets',
    '-l',
    `${ENVIRONMENT_LABEL}=${env.name}`,
    '-o',
    'json',
  ]);
  let workloads: Workload[];
  try {
    workloads = (JSON.parse(json) as { items: Workload[] }).items;
  } catch {
    throw new CommandFailure(`reading the workloads of ${env.name}: kubectl printed no JSON (${json.trim().split('\n')[0] || 'nothing'})`);
  }
  io.out(formatStatus(compareWithModel(env, workloads)));
}
