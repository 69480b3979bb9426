// An Ed25519 SSH host key from a 32-byte seed, in the formats cloud-init and known_hosts take.
import { createPrivateKey, createPublicKey } from 'node:crypto';

/** PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): this prefix, then the 32 seed bytes. */
const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

const sshString = (value: Buffer | string) => {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};
const uint32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export interface HostKey {
  /** `ssh-ed25519 AAAA…` */
  publicKey: string;
  /** `-----BEGIN OPENSSH PRIVATE KEY-----…` (unencrypted, as sshd reads host keys) */
  privateKey: string;
}

/** The same seed always gives the same key, so a plan that re-derives it changes nothing. */
export function hostKeyFromSeed(seed: Buffer, comment = ''): HostKey {
  if (seed.length !== 32) throw new Error(`an Ed25519 seed has 32 bytes, got ${seed.length}`);
  const key = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
  const raw = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(raw)]);
  const check = uint32(seed.readUInt32BE(0));
  let section = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(raw), sshString(Buffer.concat([seed, raw])), sshString(comment)]);
  const pad = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), uint32(1), sshString(blob), sshString(section)]);
  const lines = body.toString('base64').match(/.{1,70}/g)!;
  return {
    publicKey: `ssh-ed25519 ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
}
