// Every variable the roles read that the stack also knows comes from the stack (stacks/ansible-vars.ts): the roles'
// defaults hold no value of their own for it, and no role or playbook writes one of the stack's names as a literal.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MINIO_APP_SECRETS, MINIO_APP_SECRET_KEYS } from '../../../charts/app-env';
import { MINIO_CREDENTIALS_KEYS, MINIO_CREDENTIALS_SECRET } from '../../../charts/endpoints';
import { ansibleVars, type AnsibleValue } from '../../../stacks/ansible-vars';
import { environment, haEnvironment } from '../../support/environments';

const ansibleDir = join(__dirname, '../../../ansible');
const ctx = { apiEndpoint: '203.0.113.10', knownHostsFile: 'ansible/inventory/example.known_hosts' };

/** Playbooks, task files, defaults and templates: every file of ansible/ the stack does not write itself. */
function ansibleFiles(dir = ansibleDir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return ['inventory', 'kubeconfig'].includes(entry) && dir === ansibleDir ? [] : ansibleFiles(path);
    return /\.(ya?ml|j2)$/.test(entry) ? [path] : [];
  });
}

/** A file's text without its comments, which may name what they explain. */
const code = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');

const files = ansibleFiles();
const defaultsFiles = files.filter((f) => f.endsWith('/defaults/main.yml'));

/** The model in shapes that change every variable the model decides, so what stays the same is the stack's own name. */
const variants = [
  environment(),
  haEnvironment(),
  environment((raw) => {
    raw.name = 'renamed';
    raw.apps.namespace = 'elsewhere';
    raw.cluster.k3sVersion = 'v1.36.9+k3s2';
    raw.cluster.podCidr = '10.62.0.0/16';
    raw.cluster.serviceCidr = '10.63.0.0/16';
  }),
  environment((raw) => (raw.gitops = { enabled: true, repoUrl: 'git@git.example.com:ops/env.git' })),
  environment((raw) => {
    raw.cluster.airgap = {
      binary: { url: 'https://mirror.example.com/k3s', sha256: 'a'.repeat(64) },
      images: { path: '/srv/k3s-airgap-images-amd64.tar.zst', sha256: 'b'.repeat(64) },
    };
  }),
].map((env) => ansibleVars(env, ctx));

// ansible_* are Ansible's own connection variables, no role reads them.
const stackVariables = [...new Set(variants.flatMap((vars) => Object.keys(vars)))].filter((n) => !n.startsWith('ansible_'));

/** The strings inside a value: itself or a list's entries. */
function strings(value: AnsibleValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? [...value] : [];
}

/** Names the stack hands whatever the model says: the strings of a variable that are the same in every variant. */
const sharedNames = stackVariables.flatMap((name) => {
  const seen = variants.filter((vars) => name in vars).map((vars) => strings(vars[name]));
  return seen[0]!.filter((s) => !s.includes('{{') && seen.every((other) => other.includes(s))).map((value) => ({ name, value }));
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('names TypeScript and Ansible share', () => {
  it('are all read by a role or playbook, so none is handed over for nothing', () => {
    const text = files.filter((f) => !defaultsFiles.includes(f)).map(code).join('\n');
    const unread = stackVariables.filter((name) => !new RegExp(`\\b${name}\\b`).test(text));
    expect(unread).toEqual([]);
  });

  it("have no value of a role's own in its defaults: only an empty required value, a switch, or an expression", () => {
    const own: string[] = [];
    for (const file of defaultsFiles) {
      const defaults = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
      for (const name of stackVariables.filter((n) => n in defaults)) {
        const value = defaults[name];
        const empty = value === '' || (Array.isArray(value) && value.length === 0);
        // A switch's default is the role's safe choice when used alone, not a name; an expression derives the value.
        const derived = typeof value === 'boolean' || (typeof value === 'string' && /^\{\{[^{}]*\}\}$/.test(value));
        if (!empty && !derived) own.push(`${relative(ansibleDir, file)}: ${name}: ${JSON.stringify(value)}`);
      }
    }
    expect(own).toEqual([]);
  });

  it('are never written as literals in a role or playbook', () => {
    expect(sharedNames.map((n) => n.value)).toEqual(expect.arrayContaining(['nodepool=worker', 'wolke.dev/environment']));
    const literals: string[] = [];
    for (const file of files) {
      const text = code(file);
      for (const { name, value } of sharedNames) {
        if (new RegExp(`(^|[^A-Za-z0-9_.-])${escape(value)}($|[^A-Za-z0-9_.-])`, 'm').test(text)) {
          literals.push(`${relative(ansibleDir, file)} writes ${JSON.stringify(value)} instead of reading ${name}`);
        }
      }
    }
    expect(literals).toEqual([]);
  });

  it('leave the HA rule to the stack: no play counts the servers itself', () => {
    const counting = files.filter((file) => /groups\[['"]server['"]\]\s*\|\s*length/.test(code(file)));
    expect(counting.map((f) => relative(ansibleDir, f))).toEqual([]);
    expect(variants.map((vars) => vars.wolke_ha)).toEqual([false, true, false, false, false]);
  });

  it('hand the deploy role the manifests folder the synth writes', () => {
    expect(variants[2]!.wolke_manifests_dir).toBe('{{ playbook_dir }}/../dist/renamed');
  });

  // The one exception: the stack's JSON must not name a password (test/unit/stacks/cluster-stack.test.ts), and a key of this
  // Secret is called rootPassword, so the deploy role keeps the list and this holds it equal to the charts' names.
  it('give the deploy role the Secrets the manifests read, under their names and keys', () => {
    const defaults = parse(readFileSync(join(ansibleDir, 'roles/deploy/defaults/main.yml'), 'utf8'));
    expect(defaults.deploy_generated_secrets).toEqual([
      { name: MINIO_CREDENTIALS_SECRET, keys: [MINIO_CREDENTIALS_KEYS.user, MINIO_CREDENTIALS_KEYS.password] },
      ...Object.values(MINIO_APP_SECRETS).map((name) => ({ name, keys: [MINIO_APP_SECRET_KEYS.access, MINIO_APP_SECRET_KEYS.secret] })),
    ]);
  });
});
