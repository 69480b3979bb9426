// The Kafka release and JMX exporter version that the test bed runs and the project's Kafka image is built from, read
// from that image's Dockerfile: the one place that decides them (testbed/prepare.sh reads the same two ARG lines).
// Run by hand (or by bench/prepare.sh) it prints the Kafka release.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dockerfileArg } from './dockerfile-arg';

/** The Dockerfile of registry.example.com/wolke/kafka. */
export const KAFKA_DOCKERFILE = resolve(__dirname, '..', 'apps', 'kafka', 'Dockerfile');

export interface KafkaVersions {
  /** The Apache Kafka release, e.g. 4.4.0: the Maven Central version of its jars and the image's tag in the model. */
  release: string;
  /** The version of io.prometheus.jmx:jmx_prometheus_javaagent on Maven Central. */
  jmxExporter: string;
}

/** Reads `ARG KAFKA_RELEASE=` and `ARG JMX_EXPORTER_VERSION=` and checks that both are plain release numbers. */
export function parseKafkaVersions(dockerfile: string, source = 'the Kafka Dockerfile'): KafkaVersions {
  const release = dockerfileArg(dockerfile, 'KAFKA_RELEASE', source);
  const jmxExporter = dockerfileArg(dockerfile, 'JMX_EXPORTER_VERSION', source);
  if (!/^\d+\.\d+\.\d+$/.test(release)) throw new Error(`${source}: KAFKA_RELEASE must be an Apache Kafka release such as 4.1.0 (got ${release})`);
  if (!/^\d+\.\d+\.\d+$/.test(jmxExporter)) throw new Error(`${source}: JMX_EXPORTER_VERSION must be a release such as 1.0.1 (got ${jmxExporter})`);
  return { release, jmxExporter };
}

/** The Kafka release and exporter version of this checkout. */
export function kafkaVersions(): KafkaVersions {
  return parseKafkaVersions(readFileSync(KAFKA_DOCKERFILE, 'utf8'), KAFKA_DOCKERFILE);
}

/** The Kafka release of this checkout. */
export function kafkaRelease(): string {
  return kafkaVersions().release;
}

if (require.main === module) {
  console.log(kafkaRelease());
}
