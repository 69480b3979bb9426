// The cluster slice of the model: k3s's version, the server and agent pools, the cluster networks, the airgap install.
import { z } from 'zod';
import { K3S_LINES, minorLine } from '../k3s-components';
import { k3sVersion } from '../k3s-version';
import { INT32_MAX, wholeNumber } from '../limits';
import { openstackName } from '../names';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from '../networks';
import { ipv4Network, prefixBetween } from './cidrs';
import { urlParts, whenValid } from './fields';

const ipv4Only = "wolke's nodes have IPv4 addresses only, and a dual-stack cluster needs IPv6 node addresses too";

/** k3s's pod network (its cluster-cidr): every node gets a /24 of it. */
const podCidr = ipv4Network(DEFAULT_POD_CIDR, ipv4Only).superRefine(
  prefixBetween(
    { bits: 8, why: "Kubernetes divides the pod network into at most 65536 node ranges of /24 and refuses a larger one" },
    { bits: 24, why: 'k3s gives every node a /24 of the pod network' },
  ),
);

/** k3s's Service network (its service-cidr): the API Service takes its first address, CoreDNS its tenth. */
const serviceCidr = ipv4Network(DEFAULT_SERVICE_CIDR, ipv4Only).superRefine(
  prefixBetween(
    { bits: 12, why: 'kube-apiserver refuses a larger Service network' },
    { bits: 24, why: 'the Services of k3s (the API at its first address, CoreDNS at its tenth) and of wolke need room, and Kubernetes refuses every Service once it is full' },
  ),
);

/** k3s's airgap importer only reads image archives with these endings from agent/images/. */
const imageArchive = /\.(tar|tar\.gz|tgz|tar\.zst|tzst|tar\.lz4|tar\.bz2|tbz)$/;

/** Where a file comes from in an airgapped install: a local path or a URL, checked against its sha256. */
const artifact = (archive: boolean) =>
  z
    .strictObject({
      /** Absolute path on the machine that runs Ansible. */
      path: z
        .string()
        .startsWith('/', { error: (i) => `must be an absolute path: Ansible would look for ${JSON.stringify(i.input)} below its own folders` })
        .optional(),
      /** URL Ansible downloads from (https). */
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
      /** sha256 of the file, 64 hex digits. */
      sha256: z.string().regex(/^[a-f0-9]{64}$/, { error: 'must be 64 lowercase hex digits' }),
    })
    .refine((a) => (a.path === undefined) !== (a.url === undefined), { error: 'give exactly one of path or url', abort: true })
    .superRefine((a, ctx) => {
      const source = a.path ?? a.url ?? '';
      const pathname = urlParts(source, 'file:///')?.pathname ?? source;
      if (archive && !imageArchive.test(pathname)) {
        ctx.addIssue({
          code: 'custom',
          path: [a.path === undefined ? 'url' : 'path'],
          message: `must end in .tar, .tar.gz, .tar.zst, .tar.lz4 or .tar.bz2: k3s imports no other file from its images folder (got ${JSON.stringify(source)})`,
        });
      }
    }, whenValid);

/** Nodes of one role. */
const nodePool = z.strictObject({
  /** How many nodes of this role. */
  count: z.number().int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }),
  /** OpenStack flavor name of these nodes. */
  flavor: openstackName('a Nova flavor name'),
});

/**
 * Upper bound of agents: the stack holds five resources a node and the synth grows with them (250 agents take
 * seconds); it also keeps node names (`wolke-<name>-agent-<i>-<hash>`) within a host name's 63 characters.
 */
export const MAX_AGENTS = 250;
/** Upper bound of servers: etcd's guidance is at most 7 members; more slows every write. */
export const MAX_SERVERS = 7;

/** Servers (control plane). 1, or an odd number for embedded etcd. */
export const serversSchema = nodePool.extend({
  count: z
    .number()
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1', abort: true })
    .refine((n) => n % 2 === 1, {
      error: (issue) => `must be odd so embedded etcd keeps quorum (got ${String(issue.input)})`,
      abort: true,
    })
    .max(MAX_SERVERS, {
      error: (i) => `must be at most ${MAX_SERVERS}, as etcd advises: every write waits for a majority of the members (got ${String(i.input)})`,
    }),
});

/** Both sizes of an agent flavor or neither: the capacity check needs both for a flavor it does not know. */
function flavorSizeComplete(a: { flavor: string; vcpus?: number; ramMiB?: number }, ctx: z.RefinementCtx) {
  if ((a.vcpus === undefined) !== (a.ramMiB === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [a.vcpus === undefined ? 'vcpus' : 'ramMiB'],
      message: `give both vcpus and ramMiB of flavor "${a.flavor}" (\`openstack flavor show ${a.flavor}\`), or neither for a flavor wolke knows by name`,
    });
  }
}

/** Agents (workers) that run the apps; with one of them drained or lost, the others must hold every pod (config/capacity.ts). */
export const agentsSchema = nodePool
  .extend({
    count: nodePool.shape.count.max(MAX_AGENTS, {
      error: (i) => `must be at most ${MAX_AGENTS}: the synth grows with every node and is measured up to that size; split a larger fleet into environments (got ${String(i.input)})`,
    }),
    /** vCPUs of the flavor, as `openstack flavor show` says; needed for a flavor wolke does not know by name. */
    vcpus: wholeNumber(1, { value: 1_024, why: 'no Nova flavor has more' }).optional(),
    /** RAM of the flavor in MiB, as `openstack flavor show` says (its `ram`); needed with vcpus. */
    ramMiB: wholeNumber({ value: 512, why: 'it is in MiB, as `openstack flavor show` prints it: 16 GiB is 16384' }, { value: INT32_MAX, why: 'Nova stores a flavor\'s RAM as int32 MiB' }).optional(),
  })
  .superRefine(flavorSizeComplete, whenValid);

/** Airgapped install: the k3s binary and images tarball instead of the online installer. */
export const airgapSchema = z.strictObject({ binary: artifact(false), images: artifact(true) });

/** The k3sVersion rule with traefik: false; the deploy applies the CRDs of the Traefik this k3s line bundles. */
function traefikCrdsKnown(c: { k3sVersion: string; traefik: boolean }, ctx: z.RefinementCtx) {
  if (c.traefik || K3S_LINES[minorLine(c.k3sVersion)] !== undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['k3sVersion'],
    message: `with cluster.traefik: false the deploy applies the CRDs of the Traefik that k3s ${minorLine(c.k3sVersion)} bundles, which wolke knows for ${Object.keys(K3S_LINES).join(', ')} only (config/k3s-components.ts) (got ${c.k3sVersion})`,
  });
}

/** The k3s cluster on the nodes. */
export const clusterSchema = z.strictObject({
  /** k3s release installed on every node, e.g. v1.36.4+k3s1. */
  k3sVersion,
  servers: serversSchema,
  agents: agentsSchema,
  /**
   * How many nodes one `cdktf deploy` replaces when a version, image, flavor or other node setting changes; the next
   * deploy continues the roll. 1 keeps every other node up; WOLKE_ROLL_SURGE=all overrides it for one deploy.
   */
  rollSurge: wholeNumber(1, { value: 10, why: 'a larger surge needs as many spare hypervisors under hard anti-affinity' }).default(1),
  /**
   * k3s's pod network (cluster-cidr), clear of the node subnet, the Service network and the admin and ingress
   * networks. Fixed for a cluster's lifetime: k3s cannot move a running cluster to another one.
   */
  podCidr: podCidr.default(DEFAULT_POD_CIDR),
  /** k3s's Service network (service-cidr), clear of the same networks; fixed for a cluster's lifetime too. */
  serviceCidr: serviceCidr.default(DEFAULT_SERVICE_CIDR),
  /** Flannel backend: wireguard-native encrypts traffic between nodes (opens 51820-51821/udp). */
  wireguard: z.boolean().default(false),
  /**
   * k3s's bundled Traefik (the ingress controller, which also installs Traefik's CRDs). false disables it in k3s and
   * the deploy applies Traefik's pinned CRDs itself (the Middleware needs them), for an ingress controller of your own.
   */
  traefik: z.boolean().default(true),
  airgap: airgapSchema.optional(),
}).superRefine(traefikCrdsKnown, whenValid);
