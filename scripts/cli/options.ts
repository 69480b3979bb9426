// The CLI's arguments (node:util parseArgs, strict), including the flags `npm run` takes for itself without `--`.
import { parseArgs } from 'node:util';
import { UsageError } from './failure';

export const commands = ['release', 'scale', 'deploy', 'rollback', 'status'] as const;
export type Command = (typeof commands)[number];

export const usage = `usage: npx wolke <command> [arguments] [options]     (or: npm run <command> -- [arguments] [options])

commands:
  release <version> [app...]   set the image version of the apps (all of wolke's own when none), then deploy
  scale <replicas> [app]       set the replicas of web (default), processor or api (the HPA's floor), then deploy
  deploy                       synthesize the manifests and apply them (after --no-deploy)
  rollback [app...]            kubectl rollout undo of the apps' Deployments (all when none)
  status                       what the model asks for next to what the cluster runs

options:
  --env <name|file>   the environment: config/environments/<name>.yaml or a path (default WOLKE_ENV, else example)
  --dry-run           print the change to the model; write and deploy nothing (release, scale)
  --no-deploy         write the model only; apply it later with \`npx wolke deploy\` (release, scale)
  -h, --help          print this help

Nothing is written before the model is valid and, unless --no-deploy, the cluster is reachable; a failed deploy
puts the model file back. Exit codes: 0 done, 1 failed (the cause is printed), 2 bad arguments or invalid model.`;

export interface Options {
  command: Command | 'help';
  /** --env or WOLKE_ENV, and which of the two it came from (for messages). */
  env: { value: string; source: string };
  dryRun: boolean;
  deploy: boolean;
  args: string[];
  /** What the CLI makes of flags `npm run` kept for itself, to print before anything else. */
  notes: string[];
}

/**
 * Flags that `npm run release 0.2.0 --dry-run` (no `--`) hands to npm instead of us. npm exports them as
 * npm_config_<flag>: a swallowed --dry-run becomes a dry run, a swallowed --no-deploy is honoured, and a swallowed
 * --env is refused, because npm passed its value on as one of our arguments.
 */
function swallowedFlags(env: NodeJS.ProcessEnv, command: string): { dryRun: boolean; noDeploy: boolean; notes: string[] } {
  const notes: string[] = [];
  const dryRun = env.npm_config_dry_run !== undefined && env.npm_config_dry_run !== '' && env.npm_config_dry_run !== 'false';
  if (dryRun) notes.push(`npm took --dry-run for itself (npm_config_dry_run); running as a dry run. Next time: npx wolke ${command} … --dry-run`);
  const noDeploy = env.npm_config_deploy !== undefined && (env.npm_config_deploy === '' || env.npm_config_deploy === 'false');
  if (noDeploy) notes.push(`npm took --no-deploy for itself (npm_config_deploy); the model is written and not deployed. Next time: npx wolke ${command} … --no-deploy`);
  if (env.npm_config_env !== undefined) {
    throw new UsageError(
      `npm took --env for itself and passed its value on as an argument, so nothing was done; write \`npm run ${command} -- … --env <name>\` or \`npx wolke ${command} … --env <name>\``,
    );
  }
  return { dryRun, noDeploy, notes };
}

/** Parses `argv` (after the program name); `env` gives WOLKE_ENV and npm's npm_config_* variables. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // parseArgs's message names the option, e.g. "Unknown option '--dryrun'"; its advice about "--" is not ours.
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  const [first, ...args] = positionals;
  const help = values.help === true || first === 'help' || first === undefined;
  const command = help ? 'help' : first;
  if (command !== 'help' && !(commands as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command "${command}"; the commands are ${commands.join(', ')}`);
  }
  const npm = command === 'help' ? { dryRun: false, noDeploy: false, notes: [] } : swallowedFlags(env, command);

  const fromEnv = env.WOLKE_ENV?.trim();
  if (values.env !== undefined && fromEnv && values.env !== fromEnv) {
    throw new UsageError(`--env ${values.env} and WOLKE_ENV=${fromEnv} name different environments; drop one of them`);
  }
  if (values.env === '') throw new UsageError('--env needs an environment name or file');
  const chosen = values.env !== undefined ? { value: values.env, source: '--env' } : { value: fromEnv || 'example', source: fromEnv ? 'WOLKE_ENV' : 'the default environment' };

  const dryRun = values['dry-run'] === true || npm.dryRun;
  const deploy = values['no-deploy'] !== true && !npm.noDeploy;
  if (dryRun && values['no-deploy'] === true) throw new UsageError('--dry-run and --no-deploy: choose one (a dry run deploys nothing anyway)');
  if ((dryRun || !deploy) && !['release', 'scale', 'help'].includes(command)) {
    throw new UsageError(`${command} has no ${dryRun ? '--dry-run' : '--no-deploy'}; it only applies to release and scale`);
  }
  return { command: command as Command | 'help', env: chosen, dryRun, deploy, args, notes: npm.notes };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      env: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-deploy': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
