// The Kafka release the test bed runs, read from the example model's Kafka image: the one place that decides it (the
// cluster runs docker.io/apache/kafka:<release>, the test bed the same release's jars from Maven Central).
// Run by hand (or by testbed/prepare.sh) it prints the release.
import { loadEnvironment } from '../config/load';
import type { Environment } from '../config/schema';

/** Repositories of Apache's own Kafka image, whose tags are Apache release numbers (what Maven Central versions). */
const APACHE_KAFKA_IMAGES = new Set(['docker.io/apache/kafka', 'apache/kafka']);

/** The Kafka release of a model: its `apps.images.kafka` must be Apache's image tagged with a release number. */
export function kafkaReleaseOf(env: Environment, source = 'config/environments/example.yaml'): string {
  const { image, version } = env.apps.images.kafka;
  if (!APACHE_KAFKA_IMAGES.has(image)) {
    throw new Error(`${source}: apps.images.kafka.image must be docker.io/apache/kafka, whose releases the test bed fetches from Maven Central (got ${image})`);
  }
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`${source}: apps.images.kafka.version must be an Apache Kafka release such as 4.1.0 (got ${version})`);
  }
  return version;
}

/** The Kafka release of this checkout: the example model's, without WOLKE_SET overrides. */
export function kafkaRelease(): string {
  return kafkaReleaseOf(loadEnvironment('example', ''));
}

if (require.main === module) {
  console.log(kafkaRelease());
}
