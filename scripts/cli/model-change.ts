// release and scale: change the model file, in this order: validate, print, check the cluster, write, deploy.
import { environmentFromText } from '../../config/load';
import { describeChanges, type ModelEdit } from '../release/model-edits';
import { displayPath } from './cluster';
import { applyManifests, checkDeployable, synthesize } from './deploy';
import { CommandFailure } from './failure';
import type { Io } from './io';

export interface ChangeOptions {
  /** The environment file. */
  file: string;
  dryRun: boolean;
  deploy: boolean;
}

/**
 * Applies `edit` to the model file. Nothing is written before the model (as it is and as edited) is valid and,
 * when deploying, the cluster exists and answers; a deploy that fails (a rollout that does not become ready) puts
 * the file back as it was and deploys it again, so the model never claims a release that did not happen and the
 * cluster runs the version that ran before.
 */
export async function changeModel(io: Io, options: ChangeOptions, edit: (text: string) => ModelEdit): Promise<void> {
  const { file } = options;
  const shown = displayPath(file);
  const text = io.readFile(file);
  // A mistake anywhere in the model is refused here, before the edit is even computed.
  environmentFromText(text, file);
  const result = edit(text);
  const env = environmentFromText(result.text, file);

  if (result.changes.length === 0) {
    io.out(`${shown}: already so, nothing to change`);
    return;
  }
  io.out(`${shown}:`);
  for (const line of describeChanges(result.changes)) io.out(`  ${line}`);
  if (options.dryRun) {
    io.out('dry run: nothing written, nothing deployed');
    return;
  }

  if (options.deploy) {
    checkDeployable(io, env);
    await synthesize(io, env);
  }
  io.writeFile(file, result.text);
  if (!options.deploy) {
    io.out(`written, not deployed (--no-deploy); deploy it with: npx wolke deploy --env ${env.name}`);
    return;
  }
  try {
    await applyManifests(io, env);
  } catch (error) {
    // The deploy's health checks (rollouts ready, Jobs complete) decided against it: the model goes back to the
    // version that ran before, and so does the cluster, by deploying that model again.
    io.writeFile(file, text);
    const failed = (error as Error).message;
    io.err(`${failed}`);
    io.err(`rolling back: ${shown} is back as it was; deploying it again`);
    const previous = environmentFromText(text, file);
    try {
      await synthesize(io, previous);
      await applyManifests(io, previous);
    } catch (rollbackError) {
      throw new CommandFailure(
        `${failed}; ${shown} is back as it was, so the model claims no release that did not happen, but deploying it again failed too ` +
          `(${(rollbackError as Error).message}): the cluster may run part of the release: npx wolke status --env ${env.name}`,
      );
    }
    throw new CommandFailure(
      `${failed}; rolled back: ${shown} is back as it was and the cluster runs it again (npx wolke status --env ${env.name})`,
    );
  }
  io.out(`deployed ${env.name}`);
}
