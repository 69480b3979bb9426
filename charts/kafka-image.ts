// Where the project's Kafka image (apps/kafka/Dockerfile) keeps what the chart's start script runs; a unit test holds
// the Dockerfile to these paths and this user.

/** `ENV KAFKA_HOME` of the image: the start script finds everything below it. */
export const KAFKA_HOME = '/opt/kafka';

/** The image's numeric user (`USER 10001:10001`), which the pod runs as. */
export const KAFKA_USER = 10001;

/** Paths below KAFKA_HOME, as the Dockerfile's COPY lines lay them out. */
export const KAFKA_IMAGE_FILES = {
  /** The broker's jars: the classpath is `libs/*`. */
  libs: 'libs',
  /** The Prometheus JMX exporter's java agent. */
  exporterAgent: 'jmx_prometheus_javaagent.jar',
  /** The agent's configuration (apps/kafka/jmx-exporter.yaml). */
  exporterConfig: 'config/jmx-exporter.yaml',
  /** log4j 2's configuration, logging to stdout (apps/kafka/log4j2.yaml). */
  logConfig: 'config/log4j2.yaml',
} as const;

