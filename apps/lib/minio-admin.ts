// The few MinIO admin API calls setup needs (canned policies, users, attaching a policy), signed with SigV4 like S3.
import { createCipheriv, createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { MINIO_REGION } from '../../contracts/minio-region';
import { minioClientOptions } from './minio';

// madmin's EncryptData with its FIPS choice: PBKDF2-SHA256 (8192 rounds) and AES-256-GCM in sio's stream format,
// which every MinIO server decrypts. The other choice (Argon2id) is not in Node's crypto.
const pbkdf2AesGcm = 0x02;
const pbkdf2Rounds = 8192;
// sio splits data into 16 KiB fragments; the bodies here are a few hundred bytes, so one final fragment.
const fragmentSize = 1 << 14;

function gcm(key: Buffer, nonce: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/**
 * Encrypts an admin request body for MinIO with the caller's secret key: salt(32) ‖ id(1) ‖ nonce(8) ‖ sealed data,
 * the layout of madmin-go's EncryptData (secure-io/sio-go stream, one fragment).
 */
function encryptAdminBody(secretKey: string, data: Buffer, salt = randomBytes(32), nonce = randomBytes(8)): Buffer {
  if (data.length > fragmentSize) throw new Error(`admin request body of ${data.length} bytes is over the ${fragmentSize} bytes supported`);
  const key = pbkdf2Sync(secretKey, salt, pbkdf2Rounds, 32, 'sha256');
  const nonceWith = (seq: number) => {
    const full = Buffer.alloc(12);
    nonce.copy(full, 0);
    full.writeUInt32LE(seq, 8);
    return full;
  };
  // sio authenticates the (empty) associated data once with sequence number 0; fragments start at 1, and the final
  // fragment's associated data starts with 0x80 instead of 0x00.
  const adTag = gcm(key, nonceWith(0), Buffer.alloc(0), Buffer.alloc(0));
  const ad = Buffer.concat([Buffer.from([0x80]), adTag]);
  return Buffer.concat([salt, Buffer.from([pbkdf2AesGcm]), nonce, gcm(key, nonceWith(1), data, ad)]);
}

/** A canned policy document (IAM JSON). */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: { Effect: 'Allow' | 'Deny'; Action: string[]; Resource: string[] }[];
}

/** Thrown when the admin API answers with an error; `code` is MinIO's (e.g. XMinioAdminNoSuchUser, AccessDenied). */
class MinioAdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MinioAdminError';
  }
}

// SigV4 wants every query value escaped like this (RFC 3986 unreserved kept).
const escape = (value: string): string => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/**
 * The SigV4 Authorization header (service s3, as MinIO's admin API expects) for a request whose query is already
 * escaped and sorted and whose headers are all signed.
 */
function sigV4Authorization(input: {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  payloadSha256: string;
  accessKey: string;
  secretKey: string;
  region: string;
  amzDate: string;
}): string {
  const names = Object.keys(input.headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/ +/g, ' ')]));
  const canonical = [input.method, input.path, input.query, names.map((n) => `${n}:${lower[n]}\n`).join(''), names.join(';'), input.payloadSha256].join('\n');
  const day = input.amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretKey}`, day), input.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${input.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

export class MinioAdmin {
  private readonly base: URL;
  private readonly region: string;

  constructor(
    endpoint: string,
    private readonly accessKey: string,
    private readonly secretKey: string,
    region = MINIO_REGION,
  ) {
    minioClientOptions(endpoint, { accessKey, secretKey, region }); // the same endpoint checks as the S3 client
    this.base = new URL(endpoint);
    this.region = region;
  }

  private async call(method: 'GET' | 'PUT' | 'POST', path: string, query: Record<string, string>, body: Buffer = Buffer.alloc(0)): Promise<Buffer> {
    const queryText = Object.entries(query)
      .map(([k, v]) => `${escape(k)}=${escape(v)}`)
      .sort()
      .join('&');
    const resource = `/minio/admin/v3/${path}`;
    const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
    const payloadSha256 = sha256Hex(body);
    const headers: Record<string, string> = { host: this.base.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadSha256 };
    const authorization = sigV4Authorization({
      method,
      path: resource,
      query: queryText,
      headers,
      payloadSha256,
      accessKey: this.accessKey,
      secretKey: this.secretKey,
      region: this.region,
      amzDate,
    });
    const response = await fetch(new URL(`${resource}${queryText ? `?${queryText}` : ''}`, this.base), {
      method,
      headers: { ...headers, authorization },
      body: method === 'GET' ? undefined : new Uint8Array(body),
      signal: AbortSignal.timeout(30_000),
    });
    const answer = Buffer.from(await response.arrayBuffer());
    if (!response.ok) {
      let code = `HTTP${response.status}`;
      let message = answer.toString('utf8').slice(0, 500);
      try {
        const parsed = JSON.parse(message) as { Code?: string; Message?: string };
        code = parsed.Code ?? code;
        message = parsed.Message ?? message;
      } catch {
        // Not JSON: keep the text.
      }
      throw new MinioAdminError(response.status, code, `MinIO admin ${path}: ${code}: ${message}`);
    }
    return answer;
  }

  /** Creates or replaces the canned policy `name`. */
  async putPolicy(name: string, policy: PolicyDocument): Promise<void> {
    await this.call('PUT', 'add-canned-policy', { name }, Buffer.from(JSON.stringify(policy)));
  }

  /** Creates the user, or sets its secret if it exists; enabled either way. */
  async putUser(accessKey: string, secretKey: string): Promise<void> {
    const body = encryptAdminBody(this.secretKey, Buffer.from(JSON.stringify({ secretKey, status: 'enabled' })));
    await this.call('PUT', 'add-user', { accessKey }, body);
  }

  /** Makes `policy` the user's only policy. */
  async setUserPolicy(accessKey: string, policy: string): Promise<void> {
    await this.call('PUT', 'set-user-or-group-policy', { policyName: policy, userOrGroup: accessKey, isGroup: 'false' });
  }

  /** The user's policy names, as MinIO reports them. */
  async userPolicies(accessKey: string): Promise<string[]> {
    const info = JSON.parse((await this.call('GET', 'user-info', { accessKey })).toString('utf8')) as { policyName?: string };
    return (info.policyName ?? '').split(',').filter((p) => p.length > 0);
  }
}
