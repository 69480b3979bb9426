// Snapshot of the example environment's manifests, in addition to the invariant tests: a review aid for diffs.
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';
import { manifestsYaml } from '../../../charts/manifests';

describe('example manifests', () => {
  it('match the reviewed snapshot', () => {
    expect(manifestsYaml(loadEnvironment('example', ''))).toMatchSnapshot();
  });
});
