// GitOps: the Argo CD objects beside the manifests, only when the model turns GitOps on.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { GITOPS_FILE } from '../../../charts/gitops';
import { MANIFEST_FILE, gitopsYaml, manifestsYaml, writeManifests } from '../../../charts/manifests';
import { ansibleVars } from '../../../stacks/ansible-vars';
import { environment, withMonitoring } from '../../support/environments';

const withGitops = (gitops: Record<string, unknown>) =>
  environment((raw) => (raw.gitops = { enabled: true, repoUrl: 'git@git.example.com:ops/env.git', ...gitops }));

const objects = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, any>);

describe('GitOps objects', () => {
  it('are not synthesized while GitOps is off, and a stale file of them is removed', () => {
    const env = environment();
    expect(env.gitops.enabled).toBe(false);
    expect(gitopsYaml(env)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'wolke-gitops-'));
    writeFileSync(join(dir, GITOPS_FILE), 'stale');
    writeManifests(env, dir);
    expect(existsSync(join(dir, GITOPS_FILE))).toBe(false);
  });

  it('sync the manifest file from the repository folder with pruning and self-heal, confined to the namespace', () => {
    const env = withGitops({ revision: 'release' });
    const [project, application] = objects(gitopsYaml(env)!);
    expect(project).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'wolke-example', namespace: 'argocd', labels: { 'wolke.dev/environment': 'example' } },
      spec: {
        sourceRepos: ['git@git.example.com:ops/env.git'],
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'wolke' }],
        clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      },
    });
    expect(application).toMatchObject({
      kind: 'Application',
      metadata: { name: 'wolke-example', namespace: 'argocd' },
      spec: {
        project: 'wolke-example',
        source: { repoURL: 'git@git.example.com:ops/env.git', targetRevision: 'release', path: 'dist/example', directory: { include: MANIFEST_FILE } },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'wolke' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    // Deleting the Application must not delete the workloads and their volumes.
    expect(application!.metadata.finalizers).toBeUndefined();
  });

  it('allow exactly the namespaces and cluster-scoped kinds of the manifests, the monitoring stack\'s with it on', () => {
    const env = environment((raw) => {
      withMonitoring(raw);
      raw.gitops = { enabled: true, repoUrl: 'git@git.example.com:ops/env.git' };
    });
    const [project] = objects(gitopsYaml(env)!);
    const manifests = objects(manifestsYaml(env));
    const namespaces = [...new Set(manifests.map((o) => o.metadata.namespace).filter((n) => n !== undefined))].sort();
    // The apps', the dashboards' and Grafana's Secret's, and kube-system's for the stack's HelmChart.
    expect(namespaces).toEqual(['kube-system', 'monitoring', 'wolke']);
    expect(project!.spec.destinations).toEqual(namespaces.map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })));
    for (const o of manifests.filter((m) => m.metadata.namespace === undefined)) {
      const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '';
      expect(project!.spec.clusterResourceWhitelist).toContainEqual({ group, kind: o.kind });
    }
  });

  it("follow the model's path and Argo CD namespace", () => {
    const [project, application] = objects(gitopsYaml(withGitops({ path: 'clusters/example', argocdNamespace: 'gitops' }))!);
    expect(project!.metadata.namespace).toBe('gitops');
    expect(application!.metadata.namespace).toBe('gitops');
    expect(application!.spec.source.path).toBe('clusters/example');
  });

  it('leave the manifests themselves as they are, and are written beside them', () => {
    const env = withGitops({});
    expect(manifestsYaml(env)).toBe(manifestsYaml(environment()));
    const dir = mkdtempSync(join(tmpdir(), 'wolke-gitops-'));
    const written = writeManifests(env, dir);
    expect(readFileSync(join(dir, GITOPS_FILE), 'utf8')).toBe(gitopsYaml(env));
    // What the stack hashes to re-run the deploy covers the Argo CD objects too.
    expect(objects(written.yaml).map((o) => o.kind).slice(-2)).toEqual(['AppProject', 'Application']);
  });

  it('make the deploy hand the manifests to Argo CD', () => {
    const ctx = { apiEndpoint: '203.0.113.10', knownHostsFile: 'ansible/inventory/example.known_hosts' };
    expect(ansibleVars(withGitops({ argocdNamespace: 'gitops' }), ctx)).toMatchObject({
      wolke_gitops: true,
      deploy_gitops_file: GITOPS_FILE,
      deploy_gitops_application: 'wolke-example',
      deploy_gitops_namespace: 'gitops',
    });
  });
});
