// The typed model of one wolke environment: every layer (cdktf, Ansible, cdk8s, apps) reads this.
// Each rule follows what the receiving system (OpenStack, Kubernetes, k3s, Kafka, MinIO) would refuse later.
import { z } from 'zod';
import { defaultBuckets } from '../contracts/buckets';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, defaultRenditions, renditionFormats, type RenditionFormat } from '../contracts/renditions';
import { topics } from '../contracts/topics';
import { consistencyRules } from './consistency';
import { alertingSchema } from './alerting-schema';
import { gitopsSchema } from './gitops-schema';
import { k3sVersion } from './k3s-version';
import { K3S_LINES, minorLine } from './k3s-components';
import { INT16_MAX, INT32_MAX, replicas, wholeNumber, positiveNumber } from './limits';
import {
  availabilityZone,
  bucketName,
  dnsLabel,
  dnsSubdomain,
  imageRepository,
  imageTag,
  ingressHost,
  keypairName,
  linuxUser,
  openstackName,
  stateKey,
} from './names';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR, hasHostBits, isIPv4Cidr, networkOf, overlaps, prefixLength, reservedRanges } from './networks';
import { storageSize } from './quantity';

/** Admin CIDRs that open SSH and the Kubernetes API to everyone; allowed only with allowWorldAccess. */
export const worldCidrs: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

/** An IPv4 or IPv6 network in CIDR notation. */
export const cidr = z
  .string()
  .refine((v) => z.cidrv4().safeParse(v).success || z.cidrv6().safeParse(v).success, {
    error: (issue) => `must be a CIDR such as 10.0.0.0/24 or 2001:db8::/64 (got ${JSON.stringify(issue.input)})`,
    abort: true,
  });

/** A CIDR whose address is the network's own: Neutron refuses `10.1.0.0/8` in a subnet and rewrites it in a rule. */
const networkCidr = cidr.refine((v) => !hasHostBits(v), {
  error: (i) => `has bits set after the /${String(i.input).split('/')[1]} prefix; write ${networkOf(String(i.input))}, or a longer prefix if you meant a smaller network`,
});

/** Bounds and the reason a repeat breaks something, for `list`. */
interface ListRules {
  min?: { value: number; error: string };
  max?: { value: number; error: string };
  /** What a repeated entry would break; repeats are allowed without it. */
  repeat?: string;
}

/**
 * A list with bounds on its length and, optionally, no repeats. The checks are refinements, so a value that is not
 * a list at all gets one message ("must be a list") instead of zod's length checks, which also measure strings.
 */
function list<T extends z.ZodType>(item: T, rules: ListRules) {
  return z.array(item).superRefine((items, ctx) => {
    if (rules.min && items.length < rules.min.value) ctx.addIssue({ code: 'custom', message: rules.min.error, input: items });
    if (rules.max && items.length > rules.max.value) ctx.addIssue({ code: 'custom', message: `${rules.max.error} (got ${items.length})`, input: items });
    if (rules.repeat === undefined) return;
    items.forEach((value, i) => {
      const first = items.indexOf(value);
      if (first !== i) ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${JSON.stringify(value)} (entry ${first}); ${rules.repeat}`, input: value });
    });
  });
}

/** An IPv4 network of the model, clear of the ranges the host itself needs; `why` says why it must be IPv4. */
const ipv4Network = (example: string, why: string) =>
  networkCidr
    .refine(isIPv4Cidr, { error: `must be an IPv4 CIDR such as ${example}: ${why}`, abort: true })
    .superRefine((v, ctx) => {
      for (const reserved of reservedRanges) {
        if (overlaps(v, reserved.cidr)) {
          ctx.addIssue({ code: 'custom', message: `overlaps ${reserved.cidr}, ${reserved.why}; choose another range such as ${example}`, input: v });
        }
      }
    });

/** A network's size between two prefix lengths, with what refuses a larger and a smaller one. */
const prefixBetween = (largest: { bits: number; why: string }, smallest: { bits: number; why: string }) =>
  (v: string, ctx: z.RefinementCtx) => {
    const bits = prefixLength(v);
    if (bits < largest.bits) ctx.addIssue({ code: 'custom', message: `must be a /${largest.bits} or smaller: ${largest.why} (got /${bits})`, input: v });
    if (bits > smallest.bits) ctx.addIssue({ code: 'custom', message: `must be a /${smallest.bits} or larger: ${smallest.why} (got /${bits})`, input: v });
  };

/** The subnet of a new network: IPv4 (floating IPs attach to IPv4 ports only), clear of what the host uses. */
const subnetCidr = ipv4Network('10.20.0.0/24', 'OpenStack floating IPs attach only to ports with an IPv4 address');

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

const nonEmpty = z.string().min(1, { error: 'must not be empty' });

/** Runs a rule between fields only once every field is valid on its own, so it never reads a half-checked value. */
const whenValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** The parts of a URL, or undefined when it is none (the url check reports that). */
function urlParts(text: string, base?: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

/** An image and its version: a version change is a release that `cdktf diff` and the manifest diff show. */
export const image = z.strictObject({
  /** Repository of the image, without tag. */
  image: imageRepository,
  /** Tag of the image. */
  version: imageTag,
});

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

export const openstackSchema = z
  .strictObject({
    /** Name of the external (provider) network that floating IPs come from. */
    externalNetwork: openstackName('a Neutron network name'),
    /** Reuse an existing network by name, or create one with this subnet CIDR (and a router). */
    network: z.union(
      [
        z.strictObject({ existing: openstackName('a Neutron network name'), subnet: openstackName('a Neutron subnet name').optional() }),
        z.strictObject({
          cidr: subnetCidr,
          /** DNS servers handed out by DHCP on the new subnet (Neutron allows 5 and refuses repeats). */
          dnsNameservers: list(z.ipv4({ error: 'must be an IPv4 address' }), {
            max: { value: 5, error: 'must name at most 5 servers, the most Neutron hands out (max_dns_nameservers)' },
            repeat: 'Neutron refuses a repeated nameserver',
          }).default([]),
        }),
      ],
      { error: 'must be either { existing: <network name> } or { cidr: <subnet CIDR> }' },
    ),
    /** Glance image, by name or id, that every node boots. */
    image: openstackName('a Glance image name'),
    /** Login user of that image, used by Ansible. */
    sshUser: linuxUser.default('debian'),
    /** The keypair: created from the public key when one is given, otherwise an existing keypair of that name. */
    keypair: z.strictObject({
      name: keypairName,
      /** Path of an OpenSSH public key, relative to the environment file; the loader reads it into publicKey. */
      publicKeyFile: nonEmpty.optional(),
      /** An OpenSSH public key, inline. */
      publicKey: z
        .string()
        .trim()
        .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$/, {
          error: 'must be one OpenSSH public key line, e.g. "ssh-ed25519 AAAA... you@laptop"',
        })
        .optional(),
    }),
    /** Availability zones the nodes are spread over, round robin. */
    availabilityZones: list(availabilityZone, {
      min: { value: 1, error: 'must name at least one availability zone' },
      max: { value: 16, error: 'must name at most 16 zones' },
      repeat: 'nodes would pile up in that zone instead of spreading',
    }),
    /** Networks allowed to reach SSH (22) and the Kubernetes API (6443). */
    adminCidrs: list(networkCidr, {
      min: { value: 1, error: 'must name at least one admin CIDR (your VPN range)' },
      max: { value: 20, error: 'must name at most 20 networks: each adds 3 security group rules, and Neutron allows 100 per project by default' },
      repeat: 'Neutron refuses a second identical security group rule',
    }),
    /** Networks allowed to reach the web ingress (80, 443) on the agents; the web app is public by default. */
    ingressCidrs: list(networkCidr, {
      min: { value: 1, error: 'must name at least one network (0.0.0.0/0 for everyone)' },
      max: { value: 20, error: 'must name at most 20 networks: each adds 2 security group rules, and Neutron allows 100 per project by default' },
      repeat: 'Neutron refuses a second identical security group rule',
    }).default(['0.0.0.0/0']),
    /** Placement of nodes of one role: anti-affinity (hard, needs as many hypervisors) or soft-anti-affinity. */
    serverGroupPolicy: z.enum(['anti-affinity', 'soft-anti-affinity']).default('anti-affinity'),
    /** Explicit opt-in to allow 0.0.0.0/0 or ::/0 in adminCidrs. */
    allowWorldAccess: z.boolean().default(false),
    /** Boot from a Cinder volume of this many GiB instead of the flavor's disk (Cinder stores the size as int32). */
    bootVolumeSize: wholeNumber(1, { value: INT32_MAX, why: 'Cinder stores volume sizes as int32 GiB' }).optional(),
  })
  .superRefine((os, ctx) => {
    if (os.allowWorldAccess) return;
    os.adminCidrs.forEach((c, i) => {
      if (worldCidrs.has(c)) {
        ctx.addIssue({
          code: 'custom',
          path: ['adminCidrs', i],
          message: `${c} opens SSH and the Kubernetes API to the whole internet; set openstack.allowWorldAccess: true to allow it`,
        });
      }
    });
  });

export const clusterSchema = z.strictObject({
  /** k3s release installed on every node, e.g. v1.36.4+k3s1. */
  k3sVersion,
  /** Servers (control plane). 1, or an odd number for embedded etcd. */
  servers: nodePool.extend({
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
  }),
  /** Agents (workers) that run the apps; with one of them drained or lost, the others must hold every pod (config/capacity.ts). */
  agents: nodePool
    .extend({
      count: nodePool.shape.count.max(MAX_AGENTS, {
        error: (i) => `must be at most ${MAX_AGENTS}: the synth grows with every node and is measured up to that size; split a larger fleet into environments (got ${String(i.input)})`,
      }),
      /** vCPUs of the flavor, as `openstack flavor show` says; needed for a flavor wolke does not know by name. */
      vcpus: wholeNumber(1, { value: 1_024, why: 'no Nova flavor has more' }).optional(),
      /** RAM of the flavor in MiB, as `openstack flavor show` says (its `ram`); needed with vcpus. */
      ramMiB: wholeNumber({ value: 512, why: 'it is in MiB, as `openstack flavor show` prints it: 16 GiB is 16384' }, { value: INT32_MAX, why: 'Nova stores a flavor\'s RAM as int32 MiB' }).optional(),
    })
    .superRefine((a, ctx) => {
      if ((a.vcpus === undefined) !== (a.ramMiB === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [a.vcpus === undefined ? 'vcpus' : 'ramMiB'],
          message: `give both vcpus and ramMiB of flavor "${a.flavor}" (\`openstack flavor show ${a.flavor}\`), or neither for a flavor wolke knows by name`,
        });
      }
    }, whenValid),
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
  /** Airgapped install: the k3s binary and images tarball instead of the online installer. */
  airgap: z.strictObject({ binary: artifact(false), images: artifact(true) }).optional(),
}).superRefine((c, ctx) => {
  // Without the bundled Traefik the deploy applies the CRDs of the Traefik release this k3s line would bundle.
  if (c.traefik || K3S_LINES[minorLine(c.k3sVersion)] !== undefined) return;
  ctx.addIssue({
    code: 'custom',
    path: ['k3sVersion'],
    message: `with cluster.traefik: false the deploy applies the CRDs of the Traefik that k3s ${minorLine(c.k3sVersion)} bundles, which wolke knows for ${Object.keys(K3S_LINES).join(', ')} only (config/k3s-components.ts) (got ${c.k3sVersion})`,
  });
}, whenValid);

const topic = z.strictObject({
  /** Kafka takes any int32; every partition costs files and memory on each broker holding it. */
  partitions: wholeNumber(1, { value: 1_000, why: 'every partition costs open files and memory on each broker that holds it' }),
  /** Copies of each partition (an int16 in Kafka's protocol; never more than the brokers). */
  replication: wholeNumber(1, { value: INT16_MAX, why: "Kafka's replication factor is an int16" }),
});

/** Largest side each encoder writes: WebP stops at 16383 pixels, AVIF (HEIF) at 16384, JPEG and PNG at 65535. */
const largestSide = { webp: 16_383, avif: 16_384, jpeg: 65_535, png: 65_535 } as const;

/**
 * Effort each encoder takes (sharp's `effort`): libwebp's method 0–6, libheif's speed 0–9. JPEG has none, and sharp's
 * PNG effort turns on palette quantisation, which would make the lossless format lossy.
 */
const effortRange: Record<RenditionFormat, readonly [number, number] | undefined> = { webp: [0, 6], avif: [0, 9], png: undefined, jpeg: undefined };

const rendition = z
  .strictObject({
    name: dnsLabel(63),
    /** Longest side in pixels; aspect ratio is kept. */
    size: wholeNumber(1, 65_535),
    format: z.enum(renditionFormats),
    /** Encoder quality 1–100 (jpeg, webp, avif); unset: the encoder's default. PNG is lossless and takes none. */
    quality: wholeNumber(1, 100).optional(),
    /** CPU the encoder spends for smaller files (webp 0–6, avif 0–9); unset: the encoder's default. */
    effort: wholeNumber(0, 9).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.size > largestSide[r.format]) {
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message: `must be at most ${largestSide[r.format]} for ${r.format}, the largest side that encoder writes (got ${r.size})`,
      });
    }
    if (r.quality !== undefined && r.format === 'png') {
      ctx.addIssue({ code: 'custom', path: ['quality'], message: 'must not be set for png: PNG is lossless; quality applies to jpeg, webp and avif' });
    }
    if (r.effort !== undefined) {
      const range = effortRange[r.format];
      if (range === undefined) {
        ctx.addIssue({ code: 'custom', path: ['effort'], message: `must not be set for ${r.format}: its encoder has no effort setting; effort applies to webp and avif` });
      } else if (r.effort < range[0] || r.effort > range[1]) {
        ctx.addIssue({ code: 'custom', path: ['effort'], message: `must be between ${range[0]} and ${range[1]} for ${r.format} (got ${r.effort})` });
      }
    }
  }, whenValid);

const renditions = list(rendition, {
  min: { value: 1, error: 'must name at least one rendition' },
  max: { value: 8, error: 'must name at most 8 renditions: each is encoded for every upload' },
}).superRefine((items, ctx) => {
  items.forEach((r, i) => {
    const first = items.findIndex((o) => o.name === r.name);
    if (first !== i) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `repeats "${r.name}" (rendition ${first}): the api shows renditions by name, so one would hide the other` });
    }
  });
}, whenValid);

/** Namespaces Kubernetes and k3s run their own components in: default-deny policies there stop CoreDNS and Traefik. */
const reservedNamespace = (ns: string) => ns === 'default' || ns.startsWith('kube-');

/** A sensor id: the producer joins them with "," into SENSORS and the apps trim spaces. */
const sensor = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[^,\s](?:[^,]*[^,\s])?$/, { error: (i) => `must not contain "," or start or end with spaces: SENSORS is a comma list (got ${JSON.stringify(i.input)})` });

/** A cron schedule as Kubernetes CronJobs take it: five fields of digits, `*`, `,`, `-` and `/`. */
const cronSchedule = z.string().regex(/^[0-9*,/-]+( +[0-9*,/-]+){4}$/, {
  error: (i) => `must be a cron schedule of five fields such as "15 * * * *" (minute hour day month weekday; got ${JSON.stringify(i.input)})`,
});

export const appsSchema = z.strictObject({
  /** Kubernetes namespace of everything wolke deploys. */
  namespace: dnsLabel(63)
    .refine((ns) => !reservedNamespace(ns), {
      error: (i) =>
        `must not be ${String(i.input)}: it belongs to Kubernetes and k3s (CoreDNS, Traefik), and wolke puts restricted Pod Security and default-deny policies on its namespace; use e.g. wolke`,
    })
    .default('wolke'),
  /** Images and versions of every workload. */
  images: z.strictObject({
    api: image,
    web: image,
    processor: image,
    producer: image,
    aggregator: image,
    /** Flags abnormal sensor readings on the anomalies topic. */
    detector: image,
    /** Archives the sensor topics to the lake bucket as Parquet. */
    'lake-sink': image,
    /** The report job over the lake on DuckDB (a CronJob). */
    report: image,
    /** The report job on Apache Spark (Java and Spark's jars besides Node.js), used with apps.report.engine: spark. */
    'report-spark': image,
    /** Creates topics, buckets and the bucket notification (a Job). */
    setup: image,
    /** Bounded HTTP load generator (a Job) that shows the HPA scaling. */
    loadgen: image,
    kafka: image,
    minio: image,
  }),
  /** The API tier: scaled by an HPA on CPU. */
  api: z
    .strictObject({
      minReplicas: replicas('the HPA stores minReplicas as int32').default(2),
      maxReplicas: replicas('the HPA stores maxReplicas as int32').default(6),
      /** Average CPU utilisation (percent of requests) the HPA aims for. */
      cpuTarget: wholeNumber(10, 95).default(70),
    })
    .refine((a) => a.maxReplicas >= a.minReplicas, {
      error: 'maxReplicas must not be below minReplicas',
      path: ['maxReplicas'],
      ...whenValid,
    }),
  /** The web UI tier. */
  web: z.strictObject({ replicas: replicas().default(2) }),
  /** Public host name of the ingress; without it the ingress answers any host. */
  ingress: z
    .strictObject({
      host: ingressHost.optional(),
      /** Name of an existing TLS Secret; enables the websecure entrypoint with TLS. */
      tlsSecret: dnsSubdomain('a Secret name such as wolke-tls').optional(),
    })
    .default({}),
  /** Kafka topics with their partitions and replication factor. */
  topics: z.strictObject({
    [topics.events]: topic,
    [topics.results]: topic,
    /** Readings the detector judged abnormal. */
    [topics.anomalies]: topic,
    [topics.minioEvents]: topic,
    [topics.minioEventsDlq]: topic,
    /** Records the lake sink cannot write. */
    [topics.lakeDlq]: topic,
  }),
  /** Buckets: uploads are processed into renditions in processed; the lake holds the topics' archive as Parquet. */
  buckets: z.strictObject({ uploads: bucketName, processed: bucketName, lake: bucketName.default(defaultBuckets.lake) }),
  kafka: z
    .strictObject({
      /** Brokers; every one is also a KRaft controller, so this is the size of the metadata quorum too. */
      replicas: wholeNumber(1, { value: 9, why: 'every Kafka pod is a KRaft voter, and a larger quorum slows every metadata change' }).default(3),
      storage: storageSize(1, 'Kafka rolls its logs in 1 GiB segments and retention frees only rolled ones, so a smaller volume fills up').default(
        '10Gi',
      ),
    })
    .default({ replicas: 3, storage: '10Gi' }),
  minio: z
    .strictObject({
      replicas: z
        .number()
        .int({ error: 'must be a whole number' })
        .refine((n) => n === 1 || (n >= 4 && n % 2 === 0), {
          error: (issue) => `must be 1, or an even number of at least 4 for erasure coding (got ${String(issue.input)})`,
          abort: true,
        })
        .max(INT32_MAX, { error: (i) => `must be at most ${INT32_MAX}: Kubernetes stores replicas as int32 (got ${String(i.input)})` })
        .default(4),
      storage: storageSize(1, 'MinIO refuses drives smaller than about 1 GiB').default('10Gi'),
      /** URL browsers reach MinIO at, for presigned URLs; without it the api hands out the in-cluster endpoint. */
      publicEndpoint: z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
        .refine((u) => { const url = urlParts(u); return !url || ((url.pathname === '/' || url.pathname === '') && !url.search && !url.hash); }, {
          error: (i) => `must be only scheme, host and port, e.g. https://s3.example.com: the api signs URLs for a host and refuses a path (got ${JSON.stringify(i.input)})`,
          abort: true,
        })
        .refine((u) => { const url = urlParts(u); return !url || (!url.username && !url.password); }, {
          error: 'must not hold a user or password: it is written into the manifests in clear text; MinIO credentials come from the minio-credentials Secret',
        })
        .optional(),
    })
    .default({ replicas: 4, storage: '10Gi' }),
  processor: z
    .strictObject({
      replicas: replicas().default(2),
      renditions: renditions.default(defaultRenditions),
      /** Largest image accepted, in pixels (guards against decompression bombs); decoded at 4 bytes a pixel. */
      maxPixels: wholeNumber(1, { value: 100_000_000, why: 'the processor decodes two images at once at 4 bytes a pixel within its 1 GiB memory limit' }).default(
        DEFAULT_MAX_PIXELS,
      ),
      /** Largest object accepted, in bytes; the processor holds two at once in memory. */
      maxBytes: wholeNumber(1, { value: 256 * 1024 * 1024, why: 'the processor holds two objects at once within its 1 GiB memory limit' }).default(
        DEFAULT_MAX_BYTES,
      ),
    })
    .default({
      replicas: 2,
      renditions: defaultRenditions,
      maxPixels: DEFAULT_MAX_PIXELS,
      maxBytes: DEFAULT_MAX_BYTES,
    }),
  producer: z
    .strictObject({
      sensors: list(sensor, {
        min: { value: 1, error: 'must name at least one sensor' },
        max: { value: 1_000, error: 'must name at most 1000 sensors: they travel in one environment variable' },
        repeat: 'the producer would send twice the rate for that sensor',
      }).default(['A', 'B', 'C']),
      /** Events per second in total. */
      ratePerSecond: positiveNumber({ value: 10_000, why: 'one producer pod paces every event' }).default(10),
      /** Fraction of events the producer replaces by a spike marked `injected` (0 for none), to show and test the detector. */
      anomalyRate: z
        .number({ error: 'must be a number' })
        .min(0, { error: 'must be between 0 and 1, a fraction of the events' })
        .max(1, { error: 'must be between 0 and 1, a fraction of the events' })
        .default(0),
    })
    .default({ sensors: ['A', 'B', 'C'], ratePerSecond: 10, anomalyRate: 0 }),
  aggregator: z
    .strictObject({
      /** Count window per sensor: one average every this many events. */
      window: wholeNumber(1, { value: 1_000_000, why: 'the aggregator keeps every open window in memory' }).default(20),
    })
    .default({ window: 20 }),
  /** The streaming anomaly detector: per sensor, an EWMA mean and variance of the readings and a z-score threshold. */
  detector: z
    .strictObject({
      /** Weight of the newest reading in the mean and variance; higher follows the readings faster. */
      alpha: z
        .number({ error: 'must be a number' })
        .gt(0, { error: 'must be above 0 (0 would never learn)' })
        .max(1, { error: 'must be at most 1, the weight of the newest reading' })
        .default(0.2),
      /** Standard deviations from the expected value above which a reading is an anomaly. */
      threshold: positiveNumber({ value: 1_000, why: 'no reading would ever be that far' }).default(5),
      /** Readings per sensor that only train the detector before it judges any. */
      warmup: wholeNumber({ value: 2, why: 'a variance needs two readings' }, { value: 1_000_000, why: 'a sensor would never be judged' }).default(20),
    })
    .default({ alpha: 0.2, threshold: 5, warmup: 20 }),
  /** The report over the lake: per sensor and day count, mean, min, max, p50, p95 and anomalies, written back as Parquet. */
  report: z
    .strictObject({
      /** Runs the report as a CronJob. */
      enabled: z.boolean().default(true),
      /** duckdb (embedded, one pod, the default) or spark (Spark SQL; local mode in its pod, for a lake that outgrows DuckDB). */
      engine: z.enum(['duckdb', 'spark'], { error: 'must be duckdb or spark' }).default('duckdb'),
      /** When it runs: a cron schedule of five fields, in UTC. */
      schedule: cronSchedule.default('15 * * * *'),
      /** Days each run reports, ending today: 2 reports yesterday (complete now) and today (so far). */
      days: wholeNumber(1, { value: 366, why: 'each run reads every day it reports again' }).default(2),
    })
    .default({ enabled: true, engine: 'duckdb', schedule: '15 * * * *', days: 2 }),
  /** The bounded load generator Job that shows the api's HPA scaling; only deployed when enabled. */
  loadgen: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** How long the Job sends requests; it always stops. */
      durationSeconds: wholeNumber(1, 3_600).default(300),
      /** Requests per second in total. */
      requestsPerSecond: wholeNumber(1, 10_000).default(200),
      /** Path of the api the requests go to. */
      path: z.string().regex(/^\/[-a-zA-Z0-9/_.?=&]*$/, { error: 'must be a path such as /sensors' }).default('/sensors'),
    })
    .default({ enabled: false, durationSeconds: 300, requestsPerSecond: 200, path: '/sensors' }),
});

/** Prometheus durations as its flags take them, e.g. 15d, 12h or 2w. */
const prometheusDuration = z.string().regex(/^[1-9][0-9]{0,5}(ms|s|m|h|d|w|y)$/, {
  error: (i) => `must be a Prometheus duration such as 15d, 12h or 2w (got ${JSON.stringify(i.input)})`,
});

/** Namespace the monitoring stack (operator, Prometheus, Grafana) is installed in. */
export const MONITORING_NAMESPACE = 'monitoring';

/**
 * Monitoring the kube-prometheus-stack way: the operator, Prometheus and Grafana from the chart k3s installs, plus
 * wolke's scrape targets and alerts. Off by default: the manifests are then exactly what they are without it.
 */
export const monitoringSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** How long Prometheus keeps samples. */
    retention: prometheusDuration.default('15d'),
    /** Volume of each Prometheus replica's time series database. */
    storage: storageSize(1, 'Prometheus needs room for at least two hours of samples plus its write-ahead log').default('20Gi'),
    /** Who Alertmanager notifies of wolke's alerts, by severity (config/alerting-schema.ts). */
    alerting: alertingSchema,
  })
  .refine((m) => m.enabled || m.alerting.receivers.length === 0, {
    path: ['alerting', 'receivers'],
    error: 'need monitoring.enabled: true; without the monitoring stack no Alertmanager runs to notify them',
  })
  .prefault({});

/** Optional remote Terraform state in an S3-compatible store (e.g. the cloud's object storage). */
export const stateSchema = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/, error: 'must be a URL such as https://s3.example.com' }),
  bucket: bucketName,
  /** Object key of this environment's state; it must name the environment so two never share one. */
  key: stateKey,
  region: nonEmpty.default('us-east-1'),
  pathStyle: z.boolean().default(true),
});

const environmentFields = z.strictObject({
  /** Environment name: names the stack, the resources and the manifests folder; equals the file's name. */
  name: z.string().regex(/^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/, {
    error: 'must be a lowercase DNS label: letters, digits and "-", starting with a letter, at most 32 characters',
  }),
  openstack: openstackSchema,
  cluster: clusterSchema,
  apps: appsSchema,
  gitops: gitopsSchema.prefault({}),
  monitoring: monitoringSchema,
  state: stateSchema.optional(),
});

/** Every field valid on its own; the rules between fields (consistency.ts) read this. */
export type EnvironmentFields = z.infer<typeof environmentFields>;

export const environmentSchema = environmentFields.superRefine(consistencyRules, whenValid);

/** The validated environment, as every layer sees it. */
export type Environment = z.infer<typeof environmentSchema>;
/** The environment as written in YAML, before defaults. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
