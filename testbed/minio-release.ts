// The MinIO release that the test bed runs and the project's MinIO image is built from, read from that image's Dockerfile:
// the one place that decides it (testbed/prepare.sh reads the same two ARG lines).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dockerfileArg } from './dockerfile-arg';

/** The Dockerfile of registry.example.com/wolke/minio. */
export const MINIO_DOCKERFILE = resolve(__dirname, '..', 'apps', 'minio', 'Dockerfile');

export interface MinioRelease {
  /** MinIO's release name, e.g. RELEASE.2025-10-15T17-29-55Z: the image's tag in the model. */
  release: string;
  /** The Go module pseudo-version of the same commit, which the module proxy serves. */
  moduleVersion: string;
}

/** Reads `ARG MINIO_RELEASE=` and `ARG MINIO_MODULE_VERSION=` and checks that they name the same moment. */
export function parseMinioRelease(dockerfile: string, source = 'the MinIO Dockerfile'): MinioRelease {
  const release = dockerfileArg(dockerfile, 'MINIO_RELEASE', source);
  const moduleVersion = dockerfileArg(dockerfile, 'MINIO_MODULE_VERSION', source);
  const r = /^RELEASE\.(\d{4})-(\d\d)-(\d\d)T(\d\d)-(\d\d)-(\d\d)Z$/.exec(release);
  if (!r) throw new Error(`${source}: MINIO_RELEASE must look like RELEASE.2025-10-15T17-29-55Z (got ${release})`);
  const m = /^v0\.0\.0-(\d{14})-[0-9a-f]{12}$/.exec(moduleVersion);
  if (!m) throw new Error(`${source}: MINIO_MODULE_VERSION must be a Go pseudo-version v0.0.0-<yyyymmddhhmmss>-<commit> (got ${moduleVersion})`);
  // MinIO tags a release at its commit's time, so the pseudo-version of the release commit carries the same timestamp.
  const releaseTime = r.slice(1).join('');
  if (m[1] !== releaseTime) {
    throw new Error(`${source}: MINIO_MODULE_VERSION ${moduleVersion} is not the commit of ${release} (its time is ${m[1]}, the release's ${releaseTime})`);
  }
  return { release, moduleVersion };
}

/** The MinIO release of this checkout. */
export function minioRelease(): MinioRelease {
  return parseMinioRelease(readFileSync(MINIO_DOCKERFILE, 'utf8'), MINIO_DOCKERFILE);
}
