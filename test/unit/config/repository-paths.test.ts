import { describe, expect, it } from 'vitest';
import { REPO_ROOT_FROM_STACK, environmentPaths, fromPlaybookDir, playbookPath } from '../../../config/repository-paths';

describe('repository paths', () => {
  it("name each environment's files relative to the repository root", () => {
    expect(environmentPaths('prod')).toEqual({
      manifests: 'dist/prod',
      inventory: 'ansible/inventory/prod.yml',
      knownHosts: 'ansible/inventory/prod.known_hosts',
      kubeconfig: 'ansible/kubeconfig/prod.yaml',
      stack: 'cdktf.out/stacks/prod',
    });
    expect(playbookPath('site.yml')).toBe('ansible/site.yml');
  });

  it('lead back to the root from a synthesized stack, and reach a path from the playbooks as the roles do', () => {
    expect(REPO_ROOT_FROM_STACK).toBe('../../..');
    expect(fromPlaybookDir(environmentPaths('prod').manifests)).toBe('{{ playbook_dir }}/../dist/prod');
  });
});
