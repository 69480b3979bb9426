import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostKeys } from '../../../scripts/host-keys';

const dir = mkdtempSync(join(tmpdir(), 'wolke-host-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host keys from seeds', () => {
  const seed = 'a1'.repeat(32);

  it('OpenSSH reads the private key (ssh-keygen, sshd) and derives the same public key from it', () => {
    const { publicKey, privateKey } = hostKeys([{ name: 'wolke-x-agent-0-0123abcd', seed }])['wolke-x-agent-0-0123abcd'];
    const file = join(dir, 'key');
    writeFileSync(file, privateKey, { mode: 0o600 });
    const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
    expect(derived.split(' ').slice(0, 2)).toEqual(publicKey.split(' ').slice(0, 2));
    // sshd takes it as a host key (config test mode: nothing is started).
    execFileSync('/usr/sbin/sshd', ['-t', '-f', '/dev/null', '-h', file, '-o', 'PidFile=none']);
    expect(publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+ wolke-x-agent-0-0123abcd$/);
  });

  it('the same seed gives the same key; another seed another key', () => {
    const a = hostKeys([{ name: 'n', seed }]).n;
    expect(hostKeys([{ name: 'n', seed }]).n).toEqual(a);
    expect(hostKeys([{ name: 'n', seed: 'b2'.repeat(32) }]).n.publicKey).not.toBe(a.publicKey);
  });

  it('refuses a seed that is not 32 bytes of hex', () => {
    expect(() => hostKeys([{ name: 'n', seed: 'abc' }])).toThrow('host key seed of n must be 64 hex digits');
  });
});
