// Gate on a saved Terraform plan: refuses one that replaces too many nodes at once, unless forced.
// Usage: npm run plan-gate -- <plan file> [--max-nodes N] [--force]   (run in cdktf.out/stacks/<env>)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The part of `terraform show -json` output the gate reads. */
export interface PlanJson {
  resource_changes?: {
    address: string;
    type: string;
    change: { actions: string[]; before?: { metadata?: Record<string, string> } | null };
  }[];
}

export interface GateOptions {
  /** Most nodes (servers and agents) that may be replaced or destroyed in one apply. */
  maxNodes: number;
  /** Let the plan through anyway. */
  force: boolean;
}

export interface GateResult {
  /** Addresses of the nodes the plan replaces or destroys, by role. */
  replaced: { server: string[]; agent: string[] };
  refusals: string[];
}

export function gatePlan(plan: PlanJson, options: GateOptions): GateResult {
  const replaced = { server: [] as string[], agent: [] as string[] };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== 'openstack_compute_instance_v2' || !rc.change.actions.includes('delete')) continue;
    const role = rc.change.before?.metadata?.['wolke-role'] === 'server' ? 'server' : 'agent';
    replaced[role].push(rc.address);
  }
  const refusals: string[] = [];
  const total = replaced.server.length + replaced.agent.length;
  if (total > options.maxNodes) {
    refusals.push(`the plan replaces or destroys ${total} nodes at once (at most ${options.maxNodes}): ${[...replaced.server, ...replaced.agent].join(', ')}`);
  }
  if (replaced.server.length > 1) {
    refusals.push(`the plan replaces ${replaced.server.length} k3s servers at once; etcd would lose quorum — replace them one apply at a time`);
  }
  return { replaced, refusals: options.force ? [] : refusals };
}

const usage = 'usage: npm run plan-gate -- <saved plan file> [--max-nodes N] [--force]   (N: a whole number, default 1)';

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { 'max-nodes': { type: 'string', default: '1' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`plan-gate: ${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\nRefuses a saved Terraform plan that replaces or destroys more nodes than N, or more than one k3s server.\n`);
    return;
  }
  const maxNodes = Number(values['max-nodes']);
  if (positionals.length !== 1 || !/^\d+$/.test(values['max-nodes'] ?? '')) {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  }
  // npm runs scripts from the package root; the plan is named relative to where the user ran npm.
  const planFile = resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]);
  if (!existsSync(planFile)) {
    process.stderr.write(`plan-gate: no plan file ${planFile}\n`);
    process.exit(2);
  }
  // terraform show reads the providers of the plan's working directory (cdktf.out/stacks/<env>).
  let plan: PlanJson;
  try {
    plan = JSON.parse(
      execFileSync('terraform', ['show', '-json', '-no-color', basename(planFile)], { cwd: dirname(planFile), encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  } catch (error) {
    const reason = ((error as { stderr?: string }).stderr ?? (error as Error).message).replace(/[│╷╵]/g, '').split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ');
    process.stderr.write(`plan-gate: terraform cannot read ${planFile} as a saved plan: ${reason}\n`);
    process.exit(2);
  }
  const result = gatePlan(plan, { maxNodes, force: values.force === true });
  const { server, agent } = result.replaced;
  console.log(`plan replaces or destroys ${server.length} server(s) and ${agent.length} agent(s)`);
  for (const r of result.refusals) console.error(`refused: ${r}`);
  if (result.refusals.length > 0) {
    console.error('re-run with --force to apply it anyway');
    process.exit(1);
  }
}

if (require.main === module) main();
