// The operator CLI for one environment: release, scale, deploy, rollback, status (`npx wolke --help`).
import { environmentFile, loadEnvironment } from '../config/load';
import { setImageVersions, setReplicas } from './release/model-edits';
import { displayPath, repoRoot } from './cli/cluster';
import { applyManifests, checkDeployable, synthesize } from './cli/deploy';
import { describeFailure, EXIT, UsageError } from './cli/failure';
import { processIo, type Io } from './cli/io';
import { changeModel } from './cli/model-change';
import { parseOptions, usage, type Command } from './cli/options';
import { checkRollbackApps, rollback } from './cli/rollback';
import { status } from './cli/status';

/** Commands that write the model or deploy it: WOLKE_SET would make what they deploy differ from the file. */
const writing: readonly Command[] = ['release', 'scale', 'deploy'];

function noArguments(command: string, args: readonly string[]): void {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments (got ${args.join(' ')})`);
}

async function run(command: Command, args: readonly string[], io: Io, options: ReturnType<typeof parseOptions>): Promise<void> {
  if (writing.includes(command) && io.env.WOLKE_SET?.trim()) {
    throw new UsageError(`WOLKE_SET is set; ${command} writes or deploys the model file, which would not hold those overrides: unset WOLKE_SET`);
  }
  const file = environmentFile(options.env.value);
  if (!io.exists(file)) throw new UsageError(`${options.env.source}: no environment file ${file}`);
  io.err(`environment ${displayPath(file)} (from ${options.env.source})`);
  const load = () => loadEnvironment(file, '', options.env.source);
  const change = { file, dryRun: options.dryRun, deploy: options.deploy };

  switch (command) {
    case 'release': {
      const [version, ...apps] = args;
      if (!version) throw new UsageError('release: which version? e.g. npx wolke release 0.2.0 [app...]');
      return changeModel(io, change, (text) => setImageVersions(text, version, apps));
    }
    case 'scale': {
      const [replicas, app, ...extra] = args;
      if (replicas === undefined || !/^\d+$/.test(replicas)) {
        throw new UsageError(`scale: replicas must be a whole number${replicas === undefined ? '' : ` (got ${replicas})`}, e.g. npx wolke scale 4 web`);
      }
      if (extra.length > 0) throw new UsageError(`scale: one app at a time (got ${[app, ...extra].join(' ')})`);
      return changeModel(io, change, (text) => setReplicas(text, app ?? 'web', Number(replicas)));
    }
    case 'deploy': {
      noArguments(command, args);
      const env = load();
      checkDeployable(io, env);
      await synthesize(io, env);
      return applyManifests(io, env);
    }
    case 'rollback': {
      const apps = checkRollbackApps(args);
      return rollback(io, load(), apps);
    }
    case 'status':
      noArguments(command, args);
      return status(io, load());
  }
}

/** Runs the CLI with `argv` (without the program name); resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const options = parseOptions(argv, io.env);
    if (options.command === 'help') {
      io.out(usage);
      return EXIT.ok;
    }
    for (const note of options.notes) io.err(note);
    await run(options.command, options.args, io, options);
    return EXIT.ok;
  } catch (error) {
    const { lines, code } = describeFailure(error, Boolean(io.env.WOLKE_DEBUG));
    for (const line of lines) io.err(line);
    return code;
  }
}

/** The process entry, used by `npm run <command>` and by `bin/wolke.js`. */
export function start(): void {
  void main(process.argv.slice(2), processIo(repoRoot)).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) start();
