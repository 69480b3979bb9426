// Names as each receiving system validates them: Kubernetes (DNS-1123), Nova, Neutron, MinIO/S3, Linux, OCI images.
import { isIP } from 'node:net';
import { z } from 'zod';

const quoted = (v: unknown) => JSON.stringify(v);

/** Text without spaces around it: OpenStack's name rule (valid_name_regex) and what a YAML reader expects. */
function trimmed(max: number, what: string) {
  return z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: (i) => `must be at most ${max} characters, the longest ${what} allows (got ${String(i.input).length})` })
    .refine((v) => v.trim() === v, { error: (i) => `must not start or end with spaces (got ${quoted(i.input)})` });
}

/** A name OpenStack stores in a 255-character column: networks, images, flavors. */
export const openstackName = (what: string) => trimmed(255, what);

/**
 * A Nova keypair name. Nova's API before microversion 2.92 (which the Terraform provider uses) accepts only
 * letters, digits, "_", "-" and spaces: `me@laptop` or `id.rsa` are refused when the key is created.
 */
export const keypairName = trimmed(255, 'Nova').regex(/^[A-Za-z0-9_ -]+$/, {
  error: (i) =>
    `must use only letters, digits, "_", "-" and spaces, as Nova requires (got ${quoted(i.input)}; e.g. ${quoted(
      String(i.input).replace(/[^A-Za-z0-9_ -]+/g, '-'),
    )})`,
});

/** A Nova availability zone: printable characters except ":", which Nova reads as "zone:host". */
export const availabilityZone = trimmed(255, 'Nova').regex(/^[^:\p{C}]+$/u, {
  error: (i) => `must not contain ":" or control characters; Nova reads "zone:host" as a forced host (got ${quoted(i.input)})`,
});

/** A login name the image's cloud-init creates and Ansible logs in as (POSIX portable user name). */
export const linuxUser = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, {
  error: (i) => `must be a Linux user name: lowercase letters, digits, "_" and "-", at most 32 characters (got ${quoted(i.input)})`,
});

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes object name that must be a DNS-1123 label (namespaces, Services), at most 63 characters. */
export function dnsLabel(max = 63) {
  return z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: (i) => `must be at most ${max} characters (got ${String(i.input).length})` })
    .regex(dns1123Label, {
      error: (i) =>
        `must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit (got ${quoted(i.input)}; e.g. ${quoted(
          suggestLabel(String(i.input)),
        )})`,
    });
}

/** The nearest DNS label to a wrong one, for the message: `My_App` → `my-app`. */
function suggestLabel(value: string): string {
  const label = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return label || 'wolke';
}

/** True for a DNS-1123 subdomain: dot-separated labels of at most 63 characters, at most 253 in all. */
function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => label.length <= 63 && dns1123Label.test(label));
}

/** A DNS-1123 subdomain, e.g. a Secret name. */
export function dnsSubdomain(what: string) {
  return z.string().refine(isDnsSubdomain, {
    error: (i) =>
      `must be ${what}: lowercase labels of letters, digits and "-" separated by ".", each at most 63 characters, at most 253 in all (got ${quoted(i.input)})`,
  });
}

/** An Ingress host: a DNS name, optionally with a leading `*.`; Kubernetes refuses an IP address there. */
export const ingressHost = z.string().superRefine((v, ctx) => {
  if (isIP(v) !== 0) {
    ctx.addIssue({ code: 'custom', message: `must be a DNS name, not an IP address, which Kubernetes refuses as an Ingress host (got ${quoted(v)})`, input: v });
  } else if (!isDnsSubdomain(v.startsWith('*.') ? v.slice(2) : v)) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a DNS name such as wolke.example.com: lowercase labels of letters, digits and "-" separated by "." (got ${quoted(v)})`,
      input: v,
    });
  }
});

/**
 * A bucket name as MinIO creates it (s3utils.CheckValidBucketNameStrict): 3 to 63 lowercase letters, digits, "."
 * and "-", starting and ending with a letter or digit, no "..", ".-" or "-.", not an IP address; "minio" is reserved.
 */
export const bucketName = z.string().superRefine((v, ctx) => {
  const fail = (why: string) => ctx.addIssue({ code: 'custom', message: `${why} (got ${quoted(v)})`, input: v });
  if (v.length < 3 || v.length > 63) return fail('must be 3 to 63 characters long, as MinIO and S3 require');
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(v)) {
    return fail(`must use lowercase letters, digits, "." and "-", starting and ending with a letter or digit; e.g. ${quoted(suggestLabel(v))}`);
  }
  if (/\.\.|\.-|-\./.test(v)) return fail('must not contain "..", ".-" or "-."');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v)) return fail('must not look like an IP address');
  if (v === 'minio') return fail('is reserved by MinIO for its own API; choose another name');
});

/** An S3 object key of the Terraform state: Terraform's S3 backend refuses a leading or trailing "/" and "//". */
export const stateKey = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(1024, { error: 'must be at most 1024 bytes, the longest S3 key' })
  .refine((v) => !v.startsWith('/') && !v.endsWith('/') && !v.includes('//'), {
    error: (i) => `must not start or end with "/" or contain "//", which Terraform's S3 backend refuses (got ${quoted(i.input)})`,
  });

/**
 * A container image name without tag, by the OCI distribution reference grammar: an optional registry host
 * (and port), then lowercase path components separated by "/"; at most 255 characters.
 */
export const imageRepository = z
  .string()
  .max(255, { error: 'must be at most 255 characters, the longest image name registries accept' })
  .regex(
    /^((([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(:[0-9]+)?\/)?[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$/,
    { error: 'must be an image name without a tag, e.g. docker.io/apache/kafka' },
  );

/** An image tag. `latest` moves under the cluster (pulled only when missing), so a release would not show. */
export const imageTag = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'must be an image tag such as 1.4.2' })
  .refine((v) => v !== 'latest', {
    error: 'must be a fixed version such as 1.4.2, not latest: nodes keep the latest they pulled first, and a release would not show in the diff',
  });
