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
 * when deploying, the cluster exists and answers; a deploy that fails puts the file back as it was, so the model
 * never claims a release that did not happen.
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
    io.writeFile(file, text);
    throw new CommandFailure(
      `${(error as Error).message}; ${shown} is back as it was, so the model claims no release that did not happen (the cluster may run part of it: npx wolke status --env ${env.name})`,
    );
  }
  io.out(`deployed ${env.name}`);
}
