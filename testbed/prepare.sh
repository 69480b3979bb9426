#!/usr/bin/env bash
# Fetches the Kafka jars and the JMX exporter agent (Maven Central) and builds MinIO (Go module proxy) into the wolke
# cache, then exits.
# Usage: prepare.sh [kafka|minio]...   (both when no argument); a second run only checks and takes seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
# The MinIO release and its Go module version: the project's MinIO image decides them, the test bed runs the same.
minio_dockerfile=$here/../apps/minio/Dockerfile
minio_release=$(sed -n 's/^ARG MINIO_RELEASE=\([^[:space:]]*\).*/\1/p' "$minio_dockerfile")
minio_version=$(sed -n 's/^ARG MINIO_MODULE_VERSION=\([^[:space:]]*\).*/\1/p' "$minio_dockerfile")
# The Kafka release and the JMX exporter version: the project's Kafka image decides them, the test bed runs the same.
kafka_dockerfile=$here/../apps/kafka/Dockerfile
kafka_release=$(sed -n 's/^ARG KAFKA_RELEASE=\([^[:space:]]*\).*/\1/p' "$kafka_dockerfile")
jmx_exporter_version=$(sed -n 's/^ARG JMX_EXPORTER_VERSION=\([^[:space:]]*\).*/\1/p' "$kafka_dockerfile")

prepare_kafka() {
  [ -n "$kafka_release" ] && [ -n "$jmx_exporter_version" ] || { echo "no KAFKA_RELEASE/JMX_EXPORTER_VERSION in $kafka_dockerfile" >&2; exit 1; }
  local libs=$cache/kafka/$kafka_release/libs
  local agent=$cache/jmx-exporter/$jmx_exporter_version/jmx_prometheus_javaagent.jar
  if [ ! -f "$libs/.complete" ]; then
    echo "fetching Kafka $kafka_release jars into $libs" >&2
    bash "$here/kafka/fetch.sh" libs "$kafka_release" "$libs"
    touch "$libs/.complete"
  fi
  if [ ! -f "$agent" ]; then
    echo "fetching the JMX exporter agent $jmx_exporter_version into $agent" >&2
    bash "$here/kafka/fetch.sh" agent "$jmx_exporter_version" "$agent"
  fi
}

prepare_minio() {
  local bin=$cache/minio/$minio_release/minio
  [ -x "$bin" ] && return 0
  [ -n "$minio_release" ] && [ -n "$minio_version" ] || { echo "no MINIO_RELEASE/MINIO_MODULE_VERSION in $minio_dockerfile" >&2; exit 1; }
  # Static like the image's (CGO off), so the test bed runs the binary the cluster runs.
  CGO_ENABLED=0 bash "$here/go-build.sh" "$bin" github.com/minio/minio "$minio_version"
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(kafka minio)
for target in "${targets[@]}"; do
  case $target in
    kafka) prepare_kafka ;;
    minio) prepare_minio ;;
    *) echo "unknown target $target (kafka|minio)" >&2; exit 2 ;;
  esac
done
