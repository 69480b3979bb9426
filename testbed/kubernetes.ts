// Starts a real Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) on loopback,
// with kwok playing the kubelets of nodes shaped like an environment's and what k3s adds (default StorageClass,
// Traefik's CRDs); run by hand it prints the kubeconfig's path.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEnvironment } from '../config/load';
import { kubeApi, type KubeApi } from './kube-api';
import { ensureKubernetesBinaries, kwokStageFiles } from './kubernetes-binaries';
import { installTraefik } from './kubernetes-addons';
import { writeKubeconfig } from './kubeconfig';
import { createPki, type ClientName, type KubernetesPki } from './kubernetes-pki';
import { KWOK_NODE_ANNOTATION, ansibleNodeShape, environmentNodes, nodeObject, type TestbedNode } from './kubernetes-nodes';
import { startVolumeStandIn, storageClassObject } from './kubernetes-storage';
import { kubernetesVersion } from './kubernetes-release';
import { freePorts } from './ports';
import { supervise, tail, waitUntil, type Supervised } from './process';
import { createRunDir } from './run-dir';
import { runUntilSignal } from './run-until-signal';

export type { TestbedNode } from './kubernetes-nodes';

export interface StartKubernetesOptions {
  /** Where the PKI, etcd's data, kubeconfigs and logs go; a fresh temporary directory (removed on stop) when not given. */
  dir?: string;
  /** The fake nodes (kwok); environmentNodes(env) shapes them like an environment's. */
  nodes: readonly TestbedNode[];
  /** Kubernetes release, e.g. v1.36.4; testbed/kubernetes-build.sh's default (the example's k3s) when not given. */
  version?: string;
}

export interface KubernetesTestbed {
  /** Kubeconfig of a cluster admin (O=system:masters), mode 0600. */
  kubeconfig: string;
  /** https://127.0.0.1:port */
  server: string;
  /** The kubectl built with the control plane, the same release as the server. */
  kubectl: string;
  /** Release the server reports, e.g. v1.36.4. */
  version: string;
  /** Directory of each component's log. */
  logDir: string;
  /** Process ids of the components, also written to <dir>/pids.json. */
  pids: Record<string, number>;
  /** Resident memory of each running component now, in MiB (from /proc). */
  memoryMiB(): Record<string, number>;
  /** Registers a node as its kubelet would when it joins (kwok keeps it Ready from then on). */
  registerNode(node: TestbedNode, kubeletVersion?: string): Promise<void>;
  /** The test bed's own API client (admin). */
  api: KubeApi;
  /** Stops every component (kwok and the controllers first, etcd last) and checks none is left. */
  stop(): Promise<void>;
}

const repoRoot = resolve(__dirname, '..');
/** k3s's default ranges: Services from 10.43.0.0/16 (the API server is .1), pods from 10.42.0.0/16. */
const SERVICE_RANGE = '10.43.0.0/16';
const SERVICE_IP = '10.43.0.1';
const POD_RANGE = '10.42.0.1/16';
/** util-linux's setpriv (Debian installs it everywhere). */
const SETPRIV = '/usr/bin/setpriv';

/** GET https://127.0.0.1:port/healthz of a component serving a self-signed certificate; true on 200. */
function healthy(port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolveProbe(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveProbe(false));
  });
}

/** Starts the control plane and resolves once the API server is ready and every node is Ready. */
export async function startKubernetes(options: StartKubernetesOptions): Promise<KubernetesTestbed> {
  const binaries = ensureKubernetesBinaries(options.version);
  const ownsDir = options.dir === undefined;
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'wolke-kubernetes-'));
  const logDir = join(root, 'logs');
  mkdirSync(logDir, { recursive: true });
  const [etcdClient, etcdPeer, apiPort, controllerPort, schedulerPort] = (await freePorts(5)) as [number, number, number, number, number];
  const server = `https://127.0.0.1:${apiPort}`;
  const pki: KubernetesPki = await createPki(join(root, 'pki'), SERVICE_IP);
  const kubeconfigOf = (client: ClientName) =>
    writeKubeconfig(join(root, `${client}.kubeconfig`), {
      server,
      caCert: pki.caCert,
      clientCert: pki.client(client).cert,
      clientKey: pki.client(client).key,
      name: 'wolke-testbed',
    });
  const kubeconfig = kubeconfigOf('admin');
  /** What kube-controller-manager and kube-scheduler share: their kubeconfig for every purpose, loopback, a port, certs. */
  const controllerArgs = (name: string, ownKubeconfig: string, port: number) => [
    `--kubeconfig=${ownKubeconfig}`,
    `--authentication-kubeconfig=${ownKubeconfig}`,
    `--authorization-kubeconfig=${ownKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${join(root, name)}`,
  ];

  const running: { name: string; process: Supervised }[] = [];
  const start = (name: string, command: string, args: string[]) => {
    // With setpriv, a component is killed when this process dies without stopping it (SIGKILL, a crashed runner):
    // the 'exit' handler below covers only an orderly exit. setpriv execs the command, so the pid stays its own.
    const [file, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, args];
    const process = supervise(file, argv, { logFile: join(logDir, `${name}.log`) });
    running.push({ name, process });
    return process;
  };
  const killAll = () => running.forEach((r) => r.process.kill('SIGKILL'));
  const isRunning = (p: Supervised) => p.child.exitCode === null && p.child.signalCode === null;
  process.once('exit', killAll);
  const api: KubeApi = kubeApi({ server, caCert: pki.caCert, ...credentials(pki, 'admin') });
  let volumes: { stop(): Promise<void> } | undefined;

  const stop = async () => {
    await volumes?.stop();
    api.close();
    // Reverse start order: clients of the API server first, etcd last, so nothing logs a storm of connection errors.
    for (const r of [...running].reverse()) await r.process.stop('SIGTERM', 10_000);
    process.removeListener('exit', killAll);
    const left = running.filter((r) => isRunning(r.process));
    if (ownsDir) rmSync(root, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`still running after stop: ${left.map((r) => `${r.name} (${r.process.child.pid})`).join(', ')}`);
  };

  try {
    const etcd = start('etcd', binaries.etcd, [
      '--name=testbed',
      `--data-dir=${join(root, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=testbed=http://127.0.0.1:${etcdPeer}`,
      // A throwaway cluster: losing it in a power cut is fine, waiting for fsync on a busy disk is not.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    await waitUntil(
      `etcd (log ${etcd.logFile})`,
      async () => ((await (await fetch(`http://127.0.0.1:${etcdClient}/health`)).json()) as { health?: string }).health === 'true',
      { attempts: 120, intervalMs: 250, alive: () => isRunning(etcd) },
    );

    const apiserver = start('kube-apiserver', join(binaries.bin, 'kube-apiserver'), [
      // etcd listens on loopback only, so plain HTTP between the two stays on this machine.
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      // The default reconciler would publish the advertise address as the `kubernetes` Service's endpoint, and an
      // Endpoints object may not hold a loopback address; nothing in this cluster routes to Services anyway.
      '--endpoint-reconciler-type=none',
      `--tls-cert-file=${pki.serverCert}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--service-account-key-file=${pki.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-cluster-ip-range=${SERVICE_RANGE}`,
      '--authorization-mode=Node,RBAC',
      // As k3s runs it: no anonymous requests, privileged pods allowed cluster-wide (Pod Security narrows it per
      // namespace), NodeRestriction on top of the default admission plugins, which include PodSecurity.
      '--anonymous-auth=false',
      '--allow-privileged=true',
      '--enable-admission-plugins=NodeRestriction',
      '--profiling=false',
    ]);
    await waitUntil(
      `kube-apiserver at ${server} (log ${apiserver.logFile})`,
      async () => (await api.request('GET', '/readyz')).status === 200,
      { attempts: 240, intervalMs: 250, alive: () => isRunning(apiserver) },
    );

    const controllerKubeconfig = kubeconfigOf('controllerManager');
    start('kube-controller-manager', join(binaries.bin, 'kube-controller-manager'), [
      ...controllerArgs('kube-controller-manager', controllerKubeconfig, controllerPort),
      `--service-account-private-key-file=${pki.serviceAccountKey}`,
      `--root-ca-file=${pki.caCert}`,
      `--cluster-signing-cert-file=${pki.caCert}`,
      `--cluster-signing-key-file=${pki.caKey}`,
      `--service-cluster-ip-range=${SERVICE_RANGE}`,
      '--use-service-account-credentials=true',
      '--leader-elect=false',
    ]);
    const schedulerKubeconfig = kubeconfigOf('scheduler');
    start('kube-scheduler', join(binaries.bin, 'kube-scheduler'), [
      ...controllerArgs('kube-scheduler', schedulerKubeconfig, schedulerPort),
      '--leader-elect=false',
    ]);
    start('kwok', binaries.kwok, [
      `--kubeconfig=${kubeconfigOf('kwok')}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      // kwok renews each node's Lease, as a kubelet does; the heartbeat stage refreshes the node conditions.
      '--node-lease-duration-seconds=40',
      `--cidr=${POD_RANGE}`,
      ...kwokStageFiles(binaries.kwokStages).map((file) => `--config=${file}`),
    ]);
    writeFileSync(join(root, 'pids.json'), `${JSON.stringify(pidsOf(running), null, 2)}\n`);

    await api.expect('POST', '/apis/storage.k8s.io/v1/storageclasses', storageClassObject());
    const shape = ansibleNodeShape();
    for (const node of options.nodes) await api.expect('POST', '/api/v1/nodes', nodeObject(node, shape, binaries.version));
    volumes = startVolumeStandIn(api, join(root, 'volumes'));
    await installTraefik(api, binaries.traefikCrds);

    const alive = () => running.every((r) => isRunning(r.process));
    await waitUntil(
      `kube-controller-manager and kube-scheduler (logs in ${logDir})`,
      async () => (await healthy(controllerPort)) && (await healthy(schedulerPort)),
      { attempts: 240, intervalMs: 250, alive },
    );
    await waitUntil(
      `${options.nodes.length} kwok nodes Ready (log ${join(logDir, 'kwok.log')})`,
      async () => {
        const nodes = await api.expect<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>('GET', '/api/v1/nodes');
        const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        return ready.length === options.nodes.length;
      },
      { attempts: 240, intervalMs: 250, alive },
    );
    // Pods can be created only once the service-account controller has given the namespace its `default` account.
    await waitUntil(
      'the default service account',
      async () => (await api.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
      { attempts: 240, intervalMs: 250, alive },
    );
  } catch (error) {
    const logs = running.map((r) => `--- ${r.process.logFile}\n${tail(r.process.logFile, 10)}`).join('\n');
    await stop().catch(() => undefined);
    throw new Error(`${(error as Error).message}\n${logs}`);
  }

  return {
    kubeconfig,
    server,
    kubectl: join(binaries.bin, 'kubectl'),
    version: binaries.version,
    logDir,
    pids: pidsOf(running),
    memoryMiB: () => Object.fromEntries(running.map((r) => [r.name, residentMiB(r.process.child.pid)])),
    registerNode: async (node, kubeletVersion = binaries.version) => {
      await api.expect('POST', '/api/v1/nodes', nodeObject(node, ansibleNodeShape(), kubeletVersion));
    },
    api,
    stop,
  };
}

function credentials(pki: KubernetesPki, client: ClientName): { clientCert: string; clientKey: string } {
  const { cert, key } = pki.client(client);
  return { clientCert: cert, clientKey: key };
}

/** VmRSS of a process in MiB; 0 when it is gone. */
function residentMiB(pid: number | undefined): number {
  try {
    const kiB = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kiB === undefined ? 0 : Math.round(Number(kiB) / 1024);
  } catch {
    return 0;
  }
}

function pidsOf(running: { name: string; process: Supervised }[]): Record<string, number> {
  return Object.fromEntries(running.map((r) => [r.name, r.process.child.pid ?? -1]));
}

if (require.main === module) {
  const env = loadEnvironment();
  const nodes = environmentNodes(env);
  const dir = join(createRunDir(join(repoRoot, 'test-output', 'testbed')), 'kubernetes');
  const started = Date.now();
  runUntilSignal(
    () => startKubernetes({ dir, nodes, version: kubernetesVersion(env.cluster.k3sVersion) }),
    (kube) => {
      console.log(`kubernetes ${kube.version} ready in ${((Date.now() - started) / 1000).toFixed(1)} s with the ${nodes.length} nodes of ${env.name}`);
      console.log(`KUBECONFIG=${kube.kubeconfig}`);
      console.log(`kubectl: ${kube.kubectl}  logs: ${kube.logDir}  (Ctrl-C stops)`);
    },
  );
}
