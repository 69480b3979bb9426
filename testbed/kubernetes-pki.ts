// The test-bed control plane's own PKI, made with openssl per run: one CA, the API server's serving certificate,
// one client certificate per component and the service-account signing key.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A client identity: the API server reads the user from CN and the groups from O. */
export interface ClientIdentity {
  /** File name stem, e.g. `admin` → admin.crt / admin.key. */
  readonly file: string;
  readonly user: string;
  readonly groups: readonly string[];
}

/** Who talks to the API server: kubectl and kwok as cluster admins, the controllers as their built-in users. */
export const CLIENTS = {
  admin: { file: 'admin', user: 'wolke-testbed-admin', groups: ['system:masters'] },
  kwok: { file: 'kwok', user: 'kwok', groups: ['system:masters'] },
  controllerManager: { file: 'kube-controller-manager', user: 'system:kube-controller-manager', groups: [] },
  scheduler: { file: 'kube-scheduler', user: 'system:kube-scheduler', groups: [] },
} as const satisfies Record<string, ClientIdentity>;

export type ClientName = keyof typeof CLIENTS;

/** Paths of everything the PKI wrote. */
export interface KubernetesPki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
  client(name: ClientName): { cert: string; key: string };
}

/** The subject of a certificate in openssl's `-subj` syntax; O before CN, one O per group. */
export function subject(user: string, groups: readonly string[]): string {
  const escape = (value: string) => value.replace(/[/\\]/g, (c) => `\\${c}`);
  return [...groups.map((g) => `/O=${escape(g)}`), `/CN=${escape(user)}`].join('');
}

/** The DNS names and IPs the API server is reached by: loopback, and the in-cluster names of the `kubernetes` Service. */
export function serverAltNames(serviceIp: string): string {
  const dns = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  return [...dns.map((d) => `DNS:${d}`), 'IP:127.0.0.1', `IP:${serviceIp}`].join(',');
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

/** A key pair and a certificate signed by the CA, with exactly the extensions given. */
async function signed(dir: string, stem: string, subj: string, extensions: string[]): Promise<void> {
  // EC keys: generating a handful of RSA keys takes seconds on a busy two-core machine, EC keys take milliseconds.
  await openssl(dir, ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', `${stem}.key`, '-out', `${stem}.csr`, '-subj', subj]);
  writeFileSync(join(dir, `${stem}.ext`), `${extensions.join('\n')}\n`);
  await openssl(dir, ['x509', '-req', '-in', `${stem}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial',
    `0x${randomBytes(8).toString('hex')}`, '-days', '7',
    '-extfile', `${stem}.ext`, '-out', `${stem}.crt`]);
}

/** Writes the PKI into `dir` (a few hundred milliseconds). `serviceIp` is the first address of the Service range. */
export async function createPki(dir: string, serviceIp: string): Promise<KubernetesPki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await openssl(dir, ['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '7', '-subj', '/CN=wolke-testbed-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const leaf = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment'];
  await Promise.all([
    signed(dir, 'kube-apiserver', '/CN=kube-apiserver', [...leaf, 'extendedKeyUsage=serverAuth', `subjectAltName=${serverAltNames(serviceIp)}`]),
    ...Object.values(CLIENTS).map((c) => signed(dir, c.file, subject(c.user, c.groups), [...leaf, 'extendedKeyUsage=clientAuth'])),
    // Service-account tokens are signed with RSA, the algorithm every Kubernetes client library verifies.
    openssl(dir, ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'service-account.key']).then(() =>
      openssl(dir, ['pkey', '-in', 'service-account.key', '-pubout', '-out', 'service-account.pub']),
    ),
  ]);
  const path = (file: string) => join(dir, file);
  return {
    dir,
    caCert: path('ca.crt'),
    caKey: path('ca.key'),
    serverCert: path('kube-apiserver.crt'),
    serverKey: path('kube-apiserver.key'),
    serviceAccountKey: path('service-account.key'),
    serviceAccountPublicKey: path('service-account.pub'),
    client: (name) => ({ cert: path(`${CLIENTS[name].file}.crt`), key: path(`${CLIENTS[name].file}.key`) }),
  };
}
