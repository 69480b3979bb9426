#!/usr/bin/env bash
# Fetches from Maven Central what a Kafka broker runs: the jars of a Kafka release (testbed/kafka/pom.xml) or the
# Prometheus JMX exporter's java agent. The test bed (testbed/prepare.sh) and the Kafka image (apps/kafka/Dockerfile)
# both fetch through this script, so the cluster's brokers run exactly the jars the tests ran.
# Usage: fetch.sh libs <kafka-release> <directory>     the broker's classpath (libs/*)
#        fetch.sh agent <exporter-version> <jar-file>  jmx_prometheus_javaagent
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 3 ] || { echo "usage: $0 libs <kafka-release> <directory> | agent <exporter-version> <jar-file>" >&2; exit 2; }
what=$1 version=$2 target=$3
case $what in
  libs)
    rm -rf "$target.tmp"
    mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
      -Dkafka.version="$version" -DincludeScope=runtime -DoutputDirectory="$target.tmp"
    rm -rf "$target"
    mv "$target.tmp" "$target"
    ;;
  agent)
    rm -rf "$target.tmp"
    mkdir -p "$target.tmp"
    # Outside any project: dependency:copy needs none, and the pom above wants a Kafka release.
    (cd "$target.tmp" && mvn -q -B dependency:copy \
      -Dartifact="io.prometheus.jmx:jmx_prometheus_javaagent:$version" -Dmdep.stripVersion=true -DoutputDirectory=.)
    mv "$target.tmp/jmx_prometheus_javaagent.jar" "$target"
    rm -rf "$target.tmp"
    ;;
  *) echo "unknown target $what (libs|agent)" >&2; exit 2 ;;
esac
