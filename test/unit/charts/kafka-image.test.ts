// The Kafka chart and the project's Kafka image agree: the start script finds every file where the Dockerfile puts it,
// the pod runs as the image's user, the ports the chart declares are the ones the script opens, and nothing of
// Apache's image (its entrypoint, its KAFKA_* variable conventions, its user) is left. No Docker engine runs here, so
// this reads the Dockerfile; test/integration/kafka-image.test.ts runs the script on the test bed's jars.
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '../../../config/load';
import { KafkaChart } from '../../../charts/kafka';
import { KAFKA_CONFIG_FILE, KAFKA_CONFIG_MOUNT, KAFKA_DATA_MOUNT, serverPropertiesText } from '../../../charts/kafka-config';
import { KAFKA_HOME, KAFKA_IMAGE_FILES, KAFKA_USER } from '../../../charts/kafka-image';
import { KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT, KAFKA_METRICS_PORT } from '../../../charts/endpoints';
import { KAFKA_DOCKERFILE } from '../../../testbed/kafka-release';

const repoRoot = resolve(__dirname, '..', '..', '..');
const env = loadEnvironment('example', '');

/** The last stage of a Dockerfile: its ENV, USER, EXPOSE and where each COPY puts which source. */
export function finalStage(text: string): { env: Map<string, string>; user?: string; expose: number[]; copies: { from?: string; sources: string[]; dest: string }[] } {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const lastFrom = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0).at(-1) ?? 0;
  const stage = { env: new Map<string, string>(), user: undefined as string | undefined, expose: [] as number[], copies: [] as { from?: string; sources: string[]; dest: string }[] };
  for (const line of lines.slice(lastFrom + 1)) {
    const [instruction, ...rest] = line.trim().split(/\s+/);
    switch (instruction?.toUpperCase()) {
      case 'ENV':
        for (const pair of rest) {
          const [key, value] = pair.split('=', 2);
          if (key && value !== undefined) stage.env.set(key, value);
        }
        break;
      case 'USER':
        stage.user = rest[0];
        break;
      case 'EXPOSE':
        stage.expose.push(...rest.map((p) => Number(p.split('/')[0])));
        break;
      case 'COPY': {
        const from = rest.find((a) => a.startsWith('--from='))?.slice('--from='.length);
        const paths = rest.filter((a) => !a.startsWith('--'));
        stage.copies.push({ ...(from ? { from } : {}), sources: paths.slice(0, -1), dest: paths.at(-1)! });
        break;
      }
    }
  }
  return stage;
}

/** Where a COPY puts `source`: into a directory when the destination ends in /, else at the destination. */
function copiedTo(copy: { sources: string[]; dest: string }, source: string): string {
  return copy.dest.endsWith('/') ? posix.join(copy.dest, posix.basename(source)) : copy.dest;
}

const dockerfile = finalStage(readFileSync(KAFKA_DOCKERFILE, 'utf8'));
const objects = Testing.synth(new KafkaChart(Testing.app(), 'kafka', { env, namespace: env.apps.namespace }));
const statefulSet = objects.find((o) => o.kind === 'StatefulSet');
const pod = statefulSet.spec.template.spec;
const container = pod.containers[0];
const script: string = container.command[2];
const containerEnv = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));

describe('the Kafka image and the chart', () => {
  it('the image sets the KAFKA_HOME the script reads, and puts every file the script uses below it', () => {
    expect(dockerfile.env.get('KAFKA_HOME')).toBe(KAFKA_HOME);
    const installed = dockerfile.copies.flatMap((c) => c.sources.map((s) => copiedTo(c, s)));
    for (const [file, path] of Object.entries(KAFKA_IMAGE_FILES)) {
      expect(installed, `${file}: ${path}`).toContain(posix.join(KAFKA_HOME, path));
      expect(script, `${file} is used by the start script`).toContain(`$KAFKA_HOME/${path}`);
    }
    // Files copied from the repository exist, so the build has them.
    for (const copy of dockerfile.copies.filter((c) => c.from === undefined)) {
      for (const source of copy.sources) expect(existsSync(join(repoRoot, source)), source).toBe(true);
    }
    // The script names no other path below KAFKA_HOME than those.
    const used = [...script.matchAll(/\$KAFKA_HOME\/([\w./-]+)/g)].map((m) => m[1]!.replace(/\/$/, ''));
    expect([...new Set(used)].sort()).toEqual(Object.values(KAFKA_IMAGE_FILES).slice().sort());
  });

  it("runs as the image's numeric user, non-root, which owns nothing it must write but its volume", () => {
    expect(dockerfile.user).toBe(`${KAFKA_USER}:${KAFKA_USER}`);
    expect(KAFKA_USER).toBeGreaterThanOrEqual(10000);
    expect(pod.securityContext).toMatchObject({ runAsUser: KAFKA_USER, runAsGroup: KAFKA_USER, fsGroup: KAFKA_USER, runAsNonRoot: true });
    expect(container.securityContext).toMatchObject({ runAsUser: KAFKA_USER, readOnlyRootFilesystem: true });
  });

  it('opens the ports the pod declares and the image exposes: client, controller and the exporter agent', () => {
    const ports = Object.fromEntries(container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));
    expect(ports).toEqual({ client: KAFKA_CLIENT_PORT, controller: KAFKA_CONTROLLER_PORT, metrics: KAFKA_METRICS_PORT });
    expect(dockerfile.expose.sort()).toEqual([KAFKA_CLIENT_PORT, KAFKA_CONTROLLER_PORT, KAFKA_METRICS_PORT].sort());
    expect(script).toContain(`jmx_prometheus_javaagent.jar=${KAFKA_METRICS_PORT}:`);
    expect(serverPropertiesText(env)).toContain(`listeners=PLAINTEXT://:${KAFKA_CLIENT_PORT},CONTROLLER://:${KAFKA_CONTROLLER_PORT}\n`);
  });

  it('reads server.properties from the ConfigMap it mounts and writes only to its volume', () => {
    const configMap = objects.find((o) => o.kind === 'ConfigMap');
    expect(configMap.data).toEqual({ [KAFKA_CONFIG_FILE]: serverPropertiesText(env) });
    const mounts = Object.fromEntries(container.volumeMounts.map((m: { name: string; mountPath: string }) => [m.name, m.mountPath]));
    expect(containerEnv.KAFKA_CONFIG).toBe(posix.join(mounts.config, KAFKA_CONFIG_FILE));
    expect(mounts.config).toBe(KAFKA_CONFIG_MOUNT);
    expect(pod.volumes.find((v: { name: string }) => v.name === 'config').configMap.name).toBe(configMap.metadata.name);
    expect(containerEnv.KAFKA_DATA_DIR).toBe(KAFKA_DATA_MOUNT);
    expect(mounts.data).toBe(KAFKA_DATA_MOUNT);
    expect(script).toContain('config="$KAFKA_DATA_DIR/server.properties"');
    expect(script).toContain('echo "log.dirs=$KAFKA_DATA_DIR/logs"');
  });

  it("keeps nothing of Apache's image: no entrypoint script, no KAFKA_* property variables, no user 1000", () => {
    expect(container.command.slice(0, 2)).toEqual(['bash', '-c']);
    expect(container.args).toBeUndefined();
    expect(script).not.toContain('/etc/kafka/docker');
    expect(Object.keys(containerEnv).sort()).toEqual(['CLUSTER_ID', 'KAFKA_CONFIG', 'KAFKA_DATA_DIR', 'KAFKA_HEAP_OPTS']);
    expect(JSON.stringify(objects)).not.toMatch(/apache\/kafka|"runAsUser":1000\b/);
    expect(script.trim().split('\n').at(-1)).toBe('  -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$config"');
  });

  it("the README's and the Dockerfile's build lines tag the image the model deploys", () => {
    const ref = `${env.apps.images.kafka.image}:${env.apps.images.kafka.version}`;
    const build = `docker build -f apps/kafka/Dockerfile -t ${ref} .`;
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(`${build}\ndocker push ${ref}\n`);
    expect(readFileSync(KAFKA_DOCKERFILE, 'utf8')).toContain(`#   ${build}\n`);
  });

  it('rolls the brokers when their shared configuration changes', () => {
    const annotation = (replicas: number) => {
      const changed = { ...env, apps: { ...env.apps, kafka: { ...env.apps.kafka, replicas } } };
      const synth = Testing.synth(new KafkaChart(Testing.app(), 'kafka', { env: changed, namespace: changed.apps.namespace }));
      return synth.find((o) => o.kind === 'StatefulSet').spec.template.metadata.annotations['wolke.dev/config-sha256'];
    };
    expect(annotation(3)).toMatch(/^[0-9a-f]{16}$/);
    expect(annotation(5)).not.toBe(annotation(3));
  });
});
