#!/usr/bin/env bash
# Fetches what the benchmarks need besides the test bed: Kafka's tools jars (Maven Central) and a Python venv
# for the peers (PyPI), both into the wolke cache; a second run only checks and takes a second.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
# The test bed's Kafka release (the example model's Kafka image decides it), so the tools match the broker.
kafka_version=$(cd "$here/.." && npx --no-install tsx testbed/kafka-release.ts)

prepare_tools() {
  local libs=$cache/kafka/$kafka_version/tools-libs
  [ -f "$libs/.complete" ] && return 0
  echo "fetching Kafka $kafka_version tools jars into $libs" >&2
  rm -rf "$libs.tmp"
  mvn -q -B -f "$here/kafka-tools/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$kafka_version" -DincludeScope=runtime -DoutputDirectory="$libs.tmp"
  rm -rf "$libs"
  mv "$libs.tmp" "$libs"
  touch "$libs/.complete"
}

prepare_venv() {
  local venv=$cache/bench-venv
  local stamp
  stamp=$(sha256sum "$here/peers/requirements.txt" | cut -c1-16)
  [ -f "$venv/.complete-$stamp" ] && return 0
  echo "creating the Python peers' venv in $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/peers/requirements.txt"
  touch "$venv/.complete-$stamp"
}

prepare_tools
prepare_venv
