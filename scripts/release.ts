// Release commands: `release <version> [app...]`, `scale <n> [app]`, `rollback [app]`, `status` for one environment.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { environmentsDir, loadEnvironment, parseEnvironment, selectedEnvironmentName } from '../config/load';
import { ConfigError } from '../config/errors';
import type { Environment } from '../config/schema';
import { describeChanges, releasedApps, setImageVersions, setReplicas, type ModelEdit } from './release/model-edits';
import { compareWithModel, formatStatus, type Workload } from './release/cluster-status';

const repoRoot = resolve(__dirname, '..');
const usage = `usage: npm run <command> -- [options]
  release <version> [app...]   set the image version of the apps (all of wolke's own when none), then deploy
  scale <replicas> [app]       set the replicas of web (default), processor or api (the HPA's floor), then deploy
  rollback [app...]            kubectl rollout undo of the apps' Deployments (all when none)
  status                       what the model asks for next to what the cluster runs
options: --env <name> (default WOLKE_ENV or example), --dry-run (print the change, write and deploy nothing),
         --no-deploy (write the model, deploy later)`;

interface Options {
  env: string;
  dryRun: boolean;
  deploy: boolean;
  args: string[];
}

function parseArgs(argv: string[]): Options {
  const options: Options = { env: selectedEnvironmentName(), dryRun: false, deploy: true, args: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--env') options.env = argv[++i] ?? '';
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--no-deploy') options.deploy = false;
    else if (arg.startsWith('--')) throw new ConfigError([`unknown option ${arg}`, usage]);
    else options.args.push(arg);
  }
  return options;
}

function paths(env: string) {
  return {
    model: join(environmentsDir, `${env}.yaml`),
    inventory: join(repoRoot, 'ansible', 'inventory', `${env}.yml`),
  };
}

function ansibleEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ANSIBLE_CONFIG: join(repoRoot, 'ansible', 'ansible.cfg') };
}

function requireInventory(env: string): string {
  const { inventory } = paths(env);
  if (!existsSync(inventory)) {
    throw new ConfigError([`${relative(repoRoot, inventory)}: no inventory; create the cluster first (npx cdktf deploy)`]);
  }
  return inventory;
}

/** Runs kubectl on the first server through Ansible, so this machine needs neither kubectl nor a route to 6443. */
function kubectl(env: string, args: string[]): string {
  const output = execFileSync(
    'ansible',
    ['server[0]', '-i', requireInventory(env), '--become', '-m', 'ansible.builtin.command', '-a', ['/usr/local/bin/k3s', 'kubectl', ...args].join(' ')],
    { cwd: repoRoot, encoding: 'utf8', env: { ...ansibleEnv(), ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_STDOUT_CALLBACK: 'json' } },
  );
  const result = JSON.parse(output) as { plays: { tasks: { hosts: Record<string, { stdout?: string }> }[] }[] };
  const hosts = Object.values(result.plays[0]?.tasks[0]?.hosts ?? {});
  return hosts[0]?.stdout ?? '';
}

function deploy(env: Environment): void {
  const inventory = requireInventory(env.name);
  const steps: [string, string[]][] = [
    ['npx', ['tsx', 'charts/main.ts']],
    ['ansible-playbook', ['-i', inventory, 'ansible/deploy.yml']],
  ];
  for (const [cmd, args] of steps) {
    console.log(`$ ${cmd} ${args.join(' ')}`);
    const result = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: { ...ansibleEnv(), WOLKE_ENV: env.name } });
    if (result.status !== 0) throw new Error(`${cmd} failed (exit ${String(result.status)}); the model file keeps the change`);
  }
}

function applyEdit(options: Options, edit: (text: string) => ModelEdit): void {
  const { model } = paths(options.env);
  if (!existsSync(model)) throw new ConfigError([`no environment file ${model}`]);
  const text = readFileSync(model, 'utf8');
  const result = edit(text);
  // The loader's own checks (e.g. the public key file) run on the edited model too.
  parseEnvironment(result.env, environmentsDir);
  if (result.changes.length === 0) {
    console.log(`${relative(repoRoot, model)}: already so, nothing to change`);
    return;
  }
  console.log(`${relative(repoRoot, model)}:`);
  for (const line of describeChanges(result.changes)) console.log(`  ${line}`);
  if (options.dryRun) return;
  writeFileSync(model, result.text);
  if (options.deploy) deploy(result.env);
  else console.log('not deployed (--no-deploy): run `npm run release:deploy` when ready');
}

function main(command: string | undefined, argv: string[]): void {
  const options = parseArgs(argv);
  const [first, ...rest] = options.args;
  switch (command) {
    case 'release':
      if (!first) throw new ConfigError(['release: which version?', usage]);
      return applyEdit(options, (text) => setImageVersions(text, first, rest));
    case 'scale': {
      const replicas = Number(first);
      if (!first || Number.isNaN(replicas)) throw new ConfigError(['scale: how many replicas?', usage]);
      return applyEdit(options, (text) => setReplicas(text, rest[0] ?? 'web', replicas));
    }
    case 'deploy':
      return deploy(loadEnvironment(options.env));
    case 'rollback': {
      const env = loadEnvironment(options.env);
      const apps = options.args.length > 0 ? options.args : releasedApps.filter((a) => a !== 'setup' && a !== 'loadgen');
      for (const app of apps) {
        console.log(kubectl(env.name, ['-n', env.apps.namespace, 'rollout', 'undo', `deployment/${app}`]).trim());
      }
      console.log(
        'The model still names the versions you rolled back from; the next deploy brings them back. ' +
          'Make the rollback stick with `npm run release -- <previous version> [app]`.',
      );
      return;
    }
    case 'status': {
      const env = loadEnvironment(options.env);
      const json = kubectl(env.name, ['-n', env.apps.namespace, 'get', 'deployments,statefulsets', '-l', `wolke.dev/environment=${env.name}`, '-o', 'json']);
      const workloads = (JSON.parse(json) as { items: Workload[] }).items;
      console.log(formatStatus(compareWithModel(env, workloads)));
      return;
    }
    default:
      throw new ConfigError([usage]);
  }
}

if (require.main === module) {
  try {
    main(process.argv[2], process.argv.slice(3));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.lines.join('\n'));
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
