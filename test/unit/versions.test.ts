// The versions the project pins agree with each other: Node.js (.nvmrc, package.json engines, every Dockerfile), MinIO
// (its Dockerfile, the test bed, the model), Kafka and its JMX exporter (its Dockerfile, the test bed, the model), k3s and what it bundles (the
// model, config/k3s-components.ts) and the README's versions table. No Dockerfile is built here (no Docker engine), so
// these checks are what keeps the Dockerfiles honest.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k3sLineComponents, kubernetesVersion, minorLine } from '../../config/k3s-components';
import { loadEnvironment } from '../../config/load';
import { KAFKA_DOCKERFILE, kafkaRelease, kafkaVersions, parseKafkaVersions } from '../../testbed/kafka-release';
import { MINIO_DOCKERFILE, minioRelease, parseMinioRelease } from '../../testbed/minio-release';

const repoRoot = resolve(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

/** The exact Node.js release the project runs (`.nvmrc`, which testbed/node.sh installs). */
const nvmrc = read('.nvmrc').trim().replace(/^v/, '');
const nodeMajor = Number(nvmrc.split('.')[0]);

/** Every Dockerfile of the repository, outside installed and generated folders. */
function dockerfiles(dir = repoRoot): string[] {
  const skip = new Set(['node_modules', '.git', 'dist', 'cdktf.out', 'test-output', '.gen', 'bench']);
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return skip.has(name) ? [] : dockerfiles(path);
    return name === 'Dockerfile' ? [relative(repoRoot, path)] : [];
  });
}

/** What is wrong with one Dockerfile's Node.js: its base images, esbuild targets and npm install scripts. */
export function dockerfileProblems(text: string, major: number): string[] {
  const problems: string[] = [];
  const args = new Map<string, string>();
  const stages = new Set<string>();
  // Continuation lines joined, so a RUN's flags are read as one command.
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const line of lines) {
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)/.exec(line);
    if (arg) args.set(arg[1]!, arg[2]!);
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      const image = from[1]!.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args.get(name) ?? `<unset ${name}>`);
      if (from[2]) stages.add(from[2]);
      const repository = image.split(/[:@]/)[0]!;
      if (!stages.has(image) && /^(docker\.io\/)?(library\/)?node$/.test(repository)) {
        const tag = image.slice(repository.length + 1);
        if (tag !== `${major}-bookworm-slim`) problems.push(`FROM ${image}: the Node.js image must be node:${major}-bookworm-slim`);
      }
    }
    for (const target of line.matchAll(/--target=node(\d+)/g)) {
      if (Number(target[1]) !== major) problems.push(`esbuild --target=node${target[1]}: must be node${major}`);
    }
    if (/^RUN\b/.test(line)) {
      for (const command of line.split(/&&|;/)) {
        if (/\bnpm\s+(ci|install|i)\b/.test(command) && !command.includes('--ignore-scripts')) {
          problems.push(`"${command.trim()}": dependency install scripts must be off (--ignore-scripts)`);
        }
      }
    }
  }
  return problems;
}

describe('Node.js', () => {
  it('.nvmrc names one exact release of an LTS line (even major) that package.json engines accepts', () => {
    expect(nvmrc).toMatch(/^\d+\.\d+\.\d+$/);
    expect(nodeMajor % 2).toBe(0);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const caret = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(engines);
    expect(caret, `engines.node ${engines} should be ^<major>.<minor>.<patch>`).not.toBeNull();
    const [, major, minor, patch] = caret!.map(Number) as [number, number, number, number];
    expect(major).toBe(nodeMajor);
    const [, nvMinor, nvPatch] = nvmrc.split('.').map(Number) as [number, number, number];
    expect(nvMinor > minor || (nvMinor === minor && nvPatch >= patch), `.nvmrc ${nvmrc} below engines ${engines}`).toBe(true);
  });

  it('the lockfile records the same engines as package.json (npm ci would otherwise work from a stale root)', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node?: string } }> };
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(lock.packages['']!.engines?.node).toBe(pkg.engines.node);
  });

  it('every Dockerfile builds and runs on the same Node.js major, with dependency install scripts off', () => {
    const files = dockerfiles();
    // The plain apps' shared one, the apps' own, MinIO and Kafka; a Dockerfile in a new place is found too.
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of ['Dockerfile', 'processor/Dockerfile', 'minio/Dockerfile', 'kafka/Dockerfile']) expect(files).toContain(join('apps', file));
    const problems = files.flatMap((file) => dockerfileProblems(read(file), nodeMajor).map((p) => `${file}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('the Dockerfile check refuses an old base image, an old esbuild target and npm ci with install scripts', () => {
    const old = [
      'ARG NODE_IMAGE=node:20-bookworm-slim',
      'FROM ${NODE_IMAGE} AS build',
      'RUN npm ci --no-audit \\',
      ' && npx esbuild main.ts --bundle --target=node20',
      'FROM build AS again',
      'FROM node:24-bookworm-slim',
    ].join('\n');
    expect(dockerfileProblems(old, 24)).toEqual([
      'FROM node:20-bookworm-slim: the Node.js image must be node:24-bookworm-slim',
      'esbuild --target=node20: must be node24',
      '"RUN npm ci --no-audit": dependency install scripts must be off (--ignore-scripts)',
    ]);
  });
});

describe('MinIO', () => {
  it('the model deploys the image the project builds, tagged with the release its Dockerfile builds', () => {
    const { release } = minioRelease();
    const env = loadEnvironment('example', '');
    expect(env.apps.images.minio).toEqual({ image: 'registry.example.com/wolke/minio', version: release });
  });

  it('the test bed reads the release from the same Dockerfile instead of pinning its own', () => {
    const { release, moduleVersion } = minioRelease();
    const prepare = read('testbed/prepare.sh');
    expect(prepare).toContain('apps/minio/Dockerfile');
    expect(prepare).not.toContain(release);
    expect(prepare).not.toContain(moduleVersion);
    expect(read('testbed/cache.ts')).not.toMatch(/RELEASE\.\d{4}/);
    // The image is built by the same script that builds the test bed's binary.
    const dockerfile = readFileSync(MINIO_DOCKERFILE, 'utf8');
    expect(dockerfile).toMatch(/^COPY testbed\/go-build\.sh (\S+)$/m);
    const script = /^COPY testbed\/go-build\.sh (\S+)$/m.exec(dockerfile)![1]!;
    expect(dockerfile).toContain(`bash ${script} /out/minio github.com/minio/minio "\${MINIO_MODULE_VERSION}"`);
  });

  it('refuses a module version that is not the release commit', () => {
    const dockerfile = (module: string) => `ARG MINIO_RELEASE=RELEASE.2025-10-15T17-29-55Z\nARG MINIO_MODULE_VERSION=${module}\n`;
    expect(parseMinioRelease(dockerfile('v0.0.0-20251015172955-9e49d5e7a648'))).toEqual({
      release: 'RELEASE.2025-10-15T17-29-55Z',
      moduleVersion: 'v0.0.0-20251015172955-9e49d5e7a648',
    });
    expect(() => parseMinioRelease(dockerfile('v0.0.0-20250907161309-07c3a429bfed'))).toThrow(/is not the commit of RELEASE\.2025-10-15T17-29-55Z/);
    expect(() => parseMinioRelease('ARG MINIO_RELEASE=RELEASE.2025-10-15T17-29-55Z\n')).toThrow(/no "ARG MINIO_MODULE_VERSION=<value>" line/);
  });
});

describe('Kafka', () => {
  it('the model deploys the image the project builds, tagged with the release its Dockerfile fetches', () => {
    const env = loadEnvironment('example', '');
    expect(env.apps.images.kafka).toEqual({ image: 'registry.example.com/wolke/kafka', version: kafkaRelease() });
  });

  it('the test bed reads the release and the exporter version from the same Dockerfile instead of pinning its own', () => {
    const { release, jmxExporter } = kafkaVersions();
    expect(read('testbed/prepare.sh')).toContain('apps/kafka/Dockerfile');
    expect(read('testbed/kafka/pom.xml')).toContain('<version>${kafka.version}</version>');
    for (const file of ['testbed/prepare.sh', 'testbed/kafka/pom.xml', 'testbed/kafka/fetch.sh', 'testbed/cache.ts', 'testbed/kafka.ts']) {
      expect(read(file), file).not.toContain(release);
      expect(read(file), file).not.toContain(jmxExporter);
      expect(read(file), file).not.toContain('<kafka.version>');
    }
  });

  it('the image fetches its jars with the test bed\'s script and pom, with the ARGs the test bed reads', () => {
    const dockerfile = readFileSync(KAFKA_DOCKERFILE, 'utf8').replace(/\\\n/g, ' ');
    const copy = /^COPY testbed\/kafka\/pom\.xml testbed\/kafka\/fetch\.sh (\S+)\/$/m.exec(dockerfile);
    expect(copy, 'COPY testbed/kafka/pom.xml testbed/kafka/fetch.sh <dir>/').not.toBeNull();
    expect(dockerfile).toContain(`bash ${copy![1]}/fetch.sh libs "\${KAFKA_RELEASE}" `);
    expect(dockerfile).toContain(`bash ${copy![1]}/fetch.sh agent "\${JMX_EXPORTER_VERSION}" `);
    // The test bed fetches through the same script, so both get what the pom names.
    expect(read('testbed/prepare.sh')).toContain('"$here/kafka/fetch.sh" libs "$kafka_release"');
    expect(read('testbed/prepare.sh')).toContain('"$here/kafka/fetch.sh" agent "$jmx_exporter_version"');
  });

  it('refuses a Dockerfile without the ARGs or with something other than release numbers', () => {
    const dockerfile = (kafka: string, exporter: string) => `ARG KAFKA_RELEASE=${kafka}\nARG JMX_EXPORTER_VERSION=${exporter}\n`;
    expect(parseKafkaVersions(dockerfile('4.4.0', '1.0.1'))).toEqual({ release: '4.4.0', jmxExporter: '1.0.1' });
    expect(() => parseKafkaVersions(dockerfile('4.4.0-rc1', '1.0.1'))).toThrow(/KAFKA_RELEASE must be an Apache Kafka release.*got 4\.4\.0-rc1/);
    expect(() => parseKafkaVersions(dockerfile('4.4.0', 'latest'))).toThrow(/JMX_EXPORTER_VERSION must be a release.*got latest/);
    expect(() => parseKafkaVersions('ARG KAFKA_RELEASE=4.4.0\n')).toThrow(/no "ARG JMX_EXPORTER_VERSION=<value>" line/);
  });
});

describe("the README's versions table", () => {
  /** Rows of the table under "## Versions": first cell → second cell. */
  function versionsTable(): Map<string, string> {
    const readme = read('README.md');
    const section = readme.split(/^## /m).find((s) => s.startsWith('Versions\n'));
    expect(section, 'README.md has a "## Versions" section').toBeDefined();
    const rows = section!.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| component') && !l.startsWith('| ---'));
    return new Map(rows.map((l) => l.split('|').map((c) => c.trim())).map((cells) => [cells[1]!, cells[2]!]));
  }

  it('matches .nvmrc, the MinIO and Kafka Dockerfiles and the model', () => {
    const env = loadEnvironment('example', '');
    const table = versionsTable();
    expect(Object.fromEntries(table)).toEqual({
      'Node.js (project, CI, images)': `${nvmrc} (Node.js ${nodeMajor} LTS)`,
      'MinIO (test bed and image)': minioRelease().release,
      'Kafka (test bed and image)': kafkaRelease(),
      'Prometheus JMX exporter (in the Kafka image and the test bed)': kafkaVersions().jmxExporter,
      k3s: env.cluster.k3sVersion,
      'Kubernetes (k3s ships it; test bed and schemas)': kubernetesVersion(env.cluster.k3sVersion),
      'Traefik (k3s bundles it; its CRDs)': k3sLineComponents(env.cluster.k3sVersion).traefik,
      'etcd (k3s embeds it; test bed)': k3sLineComponents(env.cluster.k3sVersion).etcd,
    });
  });
});

describe('k3s and what it bundles', () => {
  it('the test bed, the schema checks and the deploy role take them from the model, not from pins of their own', () => {
    const env = loadEnvironment('example', '');
    const { traefik, traefikCrdsSha256, etcd } = k3sLineComponents(env.cluster.k3sVersion);
    for (const file of ['testbed/kubernetes-build.sh', 'testbed/k8s-tools.sh', 'ansible/roles/deploy/defaults/main.yml']) {
      const text = read(file);
      for (const pinned of [env.cluster.k3sVersion, kubernetesVersion(env.cluster.k3sVersion), traefik, traefikCrdsSha256, etcd]) {
        expect(text, `${file} pins ${pinned}`).not.toContain(pinned);
      }
    }
  });

  it("the example runs k3s's current stable line, whose Traefik is Traefik 3", () => {
    const { k3sVersion } = loadEnvironment('example', '').cluster;
    expect(minorLine(k3sVersion)).toBe('v1.36');
    expect(k3sLineComponents(k3sVersion).release).toBe(k3sVersion);
    expect(k3sLineComponents(k3sVersion).traefik).toMatch(/^v3\./);
  });
});
