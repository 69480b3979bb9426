// Every image the example's manifests name must exist: built by the project from a Dockerfile in this repository, or
// pinned by digest. Nothing here can pull an image (no container registry is reachable), so "exists" is checked by
// what the project controls: a tag it builds itself, or a digest that can only ever name one image.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';
import { addCharts } from '../../../charts/manifests';

const repoRoot = resolve(__dirname, '..', '..', '..');

type Verdict = { ok: true; why: string } | { ok: false; why: string };

/** Splits `repo[:tag][@sha256:digest]` (a registry port is not a tag). */
export function parseReference(ref: string): { repository: string; tag?: string; digest?: string } {
  const [nameAndTag, digest] = ref.split('@', 2) as [string, string | undefined];
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon === -1 ? undefined : nameAndTag.slice(colon + 1);
  return { repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** Whether an image reference names an image that exists, and why. */
export function classify(ref: string, root: string = repoRoot): Verdict {
  const { repository, digest } = parseReference(ref);
  if (digest !== undefined) {
    return /^sha256:[0-9a-f]{64}$/.test(digest)
      ? { ok: true, why: 'pinned by digest' }
      : { ok: false, why: `digest ${digest} is not sha256:<64 hex digits>` };
  }
  // The project's own images are <registry>/wolke/<name>, built from apps/<name>/Dockerfile, or, for an app without a
  // Dockerfile of its own (plain JavaScript once bundled), from apps/Dockerfile with --build-arg APP=<name>.
  const own = /(?:^|\/)wolke\/([a-z0-9][a-z0-9-]*)$/.exec(repository);
  if (own) {
    const dockerfile = join('apps', own[1]!, 'Dockerfile');
    if (existsSync(join(root, dockerfile))) return { ok: true, why: `built from ${dockerfile}` };
    const shared = join('apps', 'Dockerfile');
    return existsSync(join(root, 'apps', own[1]!, 'main.ts')) && existsSync(join(root, shared))
      ? { ok: true, why: `built from ${shared} with APP=${own[1]}` }
      : { ok: false, why: `a wolke image, but neither ${dockerfile} nor an app apps/${own[1]}/main.ts for ${shared} exists` };
  }
  return { ok: false, why: 'neither built by the project (no wolke/<name> with apps/<name>/Dockerfile or apps/<name>/main.ts) nor pinned by @sha256' };
}

/** Every `image` of every container, init container and ephemeral container, wherever a pod template sits. */
export function imageReferences(objects: unknown[]): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'containers' || key === 'initContainers' || key === 'ephemeralContainers') && Array.isArray(child)) {
        for (const container of child) {
          const image = (container as { image?: unknown }).image;
          if (typeof image === 'string') found.push(image);
        }
      }
      walk(child);
    }
  };
  walk(objects);
  return found;
}

function exampleManifests(): unknown[] {
  const app = Testing.app();
  return addCharts(app, loadEnvironment('example', '')).flatMap((chart) => Testing.synth(chart));
}

describe('image references in the example manifests', () => {
  const references = [...new Set(imageReferences(exampleManifests()))].sort();

  it('are found, and each is an image of the model (the charts name no image of their own)', () => {
    const env = loadEnvironment('example', '');
    const modelRefs = new Set(Object.values(env.apps.images).map((i) => `${i.image}:${i.version}`));
    expect(references.filter((ref) => !modelRefs.has(ref))).toEqual([]);
    // The walk finds the data services' images as well as the apps', so the check below has something to check.
    for (const app of ['kafka', 'minio', 'api', 'processor'] as const) {
      expect(references).toContain(`${env.apps.images[app].image}:${env.apps.images[app].version}`);
    }
  });

  it('each name an image the project builds or pins by digest, with no exception', () => {
    const verdicts = references.map((ref) => ({ ref, ...classify(ref) }));
    const refused = verdicts.filter((v) => !v.ok).map((v) => `${v.ref}: ${v.why}`);
    expect(refused).toEqual([]);
  });
});

describe('the image reference check', () => {
  it('refuses an upstream tag, a wolke image without a Dockerfile and a malformed digest', () => {
    expect(classify('quay.io/minio/minio:RELEASE.2025-10-15T17-29-55Z').ok).toBe(false);
    expect(classify('docker.io/apache/kafka:4.4.0').ok).toBe(false);
    expect(classify('registry.example.com/wolke/nosuchapp:0.1.0').ok).toBe(false);
    expect(classify('docker.io/library/busybox@sha256:abc').ok).toBe(false);
    // A project name outside the wolke/ namespace is not ours, even when an app of that name exists.
    expect(classify('docker.io/library/api:0.1.0').ok).toBe(false);
  });

  it('accepts a digest pin, a wolke image with its Dockerfile and a plain app the shared Dockerfile builds', () => {
    expect(classify(`docker.io/library/busybox:1.37@sha256:${'a'.repeat(64)}`)).toEqual({ ok: true, why: 'pinned by digest' });
    expect(classify('registry.example.com:5000/wolke/processor:0.1.0')).toEqual({ ok: true, why: `built from ${join('apps', 'processor', 'Dockerfile')}` });
    expect(classify('registry.example.com:5000/wolke/api:0.1.0')).toEqual({ ok: true, why: `built from ${join('apps', 'Dockerfile')} with APP=api` });
  });

  it('refuses a wolke image named after a folder of apps/ that is no app (apps/lib has no main.ts)', () => {
    expect(classify('registry.example.com/wolke/lib:0.1.0').ok).toBe(false);
  });

  it('parses a registry port apart from the tag', () => {
    expect(parseReference('registry.example.com:5000/wolke/api:0.1.0')).toEqual({ repository: 'registry.example.com:5000/wolke/api', tag: '0.1.0' });
    expect(parseReference('busybox@sha256:x')).toEqual({ repository: 'busybox', digest: 'sha256:x' });
  });

  it('finds images in init containers and in nested pod templates', () => {
    const objects = [
      { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ image: 'a:1' }], containers: [{ image: 'b:2' }] } } } } } },
    ];
    expect(imageReferences(objects).sort()).toEqual(['a:1', 'b:2']);
  });
});
