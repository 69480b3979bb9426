#!/usr/bin/env bash
# Fetches the Kafka jars (Maven Central) and builds MinIO (Go module proxy) into the wolke cache, then exits.
# Usage: prepare.sh [kafka|minio]...   (both when no argument); a second run only checks and takes seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
# The MinIO release and its Go module version: the project's MinIO image decides them, the test bed runs the same.
minio_dockerfile=$here/../apps/minio/Dockerfile
minio_release=$(sed -n 's/^ARG MINIO_RELEASE=\([^[:space:]]*\).*/\1/p' "$minio_dockerfile")
minio_version=$(sed -n 's/^ARG MINIO_MODULE_VERSION=\([^[:space:]]*\).*/\1/p' "$minio_dockerfile")

prepare_kafka() {
  # The Kafka release: the example model's Kafka image decides it, the test bed runs the same (testbed/kafka-release.ts).
  local kafka_version
  kafka_version=$(cd "$here/.." && npx --no-install tsx testbed/kafka-release.ts)
  local libs=$cache/kafka/$kafka_version/libs
  [ -f "$libs/.complete" ] && return 0
  echo "fetching Kafka $kafka_version jars into $libs" >&2
  rm -rf "$libs.tmp"
  mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$kafka_version" -DincludeScope=runtime -DoutputDirectory="$libs.tmp"
  rm -rf "$libs"
  mv "$libs.tmp" "$libs"
  touch "$libs/.complete"
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
