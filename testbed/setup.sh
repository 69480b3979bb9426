#!/usr/bin/env bash
# Installs and builds everything the tests use, once per machine (cached in ~/.cache/wolke): Debian packages (with the
# OpenStack test bed's), npm packages, the Go-built Terraform providers and test components, Kafka and Spark from Maven
# Central.
# Run it with the project's Node.js on the PATH: export PATH="$(bash testbed/node.sh):$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

# ansible-core/ansible-lint: playbook lint and runs; openssh-server + iproute2: the SSH test hosts in network
# namespaces (sudo: the playbooks become root there); chromium: browser tests; time: peak memory in the benchmarks.
packages=(ca-certificates git maven ansible-core ansible-lint openssh-server openssh-client sudo iproute2 chromium fonts-dejavu-core time)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "--- Debian packages: ${missing[*]}"
  ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo )} apt-get update -qq
  ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo )} apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The longest Go build needs nothing of the steps below: it runs beside their downloads and installs from the start.
prometheus_log=$(mktemp)
bash testbed/prometheus.sh >"$prometheus_log" 2>&1 &
prometheus_build=$!
# Spark's jars for the report job's Spark engine (~300 MB from Maven Central) download beside the other steps too.
spark_log=$(mktemp)
bash testbed/spark.sh >"$spark_log" 2>&1 &
spark_fetch=$!

echo "--- OpenStack test bed (Debian's Zed packages; nothing is started)"
bash testbed/openstack/install.sh

echo "--- npm packages (Node.js $(node --version))"
# Native addons are built for the Node.js that runs the tests, so that must be the project's major (.nvmrc).
want=$(tr -d ' \nv' < .nvmrc)
if [ "$(node -p 'process.versions.node.split(".")[0]')" != "${want%%.*}" ]; then
  echo "node on the PATH is $(node --version), the project runs Node.js $want: first run" >&2
  echo '  export PATH="$(bash testbed/node.sh):$PATH"' >&2
  exit 1
fi
# node-gyp builds against the running Node's own headers (shipped with it) instead of downloading them.
nodedir=$(node -p 'require("path").resolve(process.execPath, "..", "..")')
[ -f "$nodedir/include/node/node_api.h" ] && export npm_config_nodedir=$nodedir
npm ci --no-audit --no-fund
# cdktf's node-pty has prebuilt addons only up to Node 22: build it for this Node (a few seconds; a no-op where one fits).
npm rebuild @cdktf/node-pty-prebuilt-multiarch
node -e 'require("@cdktf/node-pty-prebuilt-multiarch")'

# The Kubernetes build needs tsx (above) and nothing of the steps below: it fills the CPU while they download.
kubernetes_log=$(mktemp)
bash testbed/kubernetes-build.sh >"$kubernetes_log" 2>&1 &
kubernetes_build=$!

echo "--- Terraform and its providers"
bash testbed/providers.sh >/dev/null

echo "--- checkov (PyPI)"
bash testbed/checkov.sh >/dev/null

echo "--- Kafka (Maven Central) and MinIO (Go)"
bash testbed/prepare.sh

echo "--- kubeconform, kube-score and the Kubernetes schemas (Go)"
bash testbed/k8s-tools.sh >/dev/null

echo "--- promtool and prometheus (Go; about 14 CPU minutes the first time, started with the first step)"
wait "$prometheus_build" || { cat "$prometheus_log" >&2; exit 1; }
rm -f "$prometheus_log"

echo "--- Spark SQL and hadoop-aws (Maven Central; started with the first step)"
wait "$spark_fetch" || { cat "$spark_log" >&2; exit 1; }
rm -f "$spark_log"

echo "--- Kubernetes control plane, etcd and kwok (Go; 10 to 20 minutes the first time, started after the npm packages)"
wait "$kubernetes_build" || { cat "$kubernetes_log" >&2; exit 1; }
rm -f "$kubernetes_log"
