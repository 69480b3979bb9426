// No secret reaches what wolke writes: credentials in the environment stay out of cdk.tf.json, the inventory and dist/.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('secret hygiene of the main job', () => {
  it('writes none of the credentials it was run with, and no private key', () => {
    const secret = () => `s3cr3t-${randomBytes(12).toString('hex')}`;
    const secrets = {
      OS_PASSWORD: secret(),
      OS_APPLICATION_CREDENTIAL_SECRET: secret(),
      OS_TOKEN: secret(),
      AWS_SECRET_ACCESS_KEY: secret(),
      MINIO_ROOT_PASSWORD: secret(),
      MINIO_SECRET_KEY: secret(),
    };
    const out = mkdtempSync(join(tmpdir(), 'wolke-secrets-'));
    const run = spawnSync('npx', ['tsx', 'scripts/synth-all.ts'], {
      encoding: 'utf8',
      env: { ...process.env, ...secrets, OS_USERNAME: 'ci', OS_AUTH_URL: 'https://keystone.invalid:5000/v3', WOLKE_OUT: out, WOLKE_SET: '' },
    });
    expect(run.status).toBe(0);

    const files = filesUnder(out);
    expect(files.some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
    const written = [...files.map((f) => readFileSync(f, 'utf8')), run.stdout, run.stderr];
    for (const [name, value] of Object.entries(secrets)) {
      expect(written.filter((text) => text.includes(value)), `${name} leaked`).toEqual([]);
    }
    for (const text of written) {
      expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
      expect(text).not.toMatch(/"(password|secret_key|access_key|token)"\s*:/i);
    }
    // The inventory is written by Terraform from the stack: its text lives in the local_file resource.
    const stack = JSON.parse(readFileSync(files.find((f) => f.endsWith('cdk.tf.json'))!, 'utf8'));
    const inventory = Object.values(stack.resource.local_file as Record<string, { content: string }>)[0].content;
    expect(inventory).not.toMatch(/password|secret|token/i);
  });
});
