#!/usr/bin/env bash
# Installs and builds everything the tests use, once per machine (cached in ~/.cache/wolke):
# Debian packages (with the OpenStack test bed's), npm packages, the Go-built Terraform providers and test components,
# Kafka from Maven Central.
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

echo "--- OpenStack test bed (Debian's Zed packages; nothing is started)"
bash testbed/openstack/install.sh

echo "--- npm packages"
npm ci --no-audit --no-fund

echo "--- Terraform and its providers"
bash testbed/providers.sh >/dev/null

echo "--- checkov (PyPI)"
bash testbed/checkov.sh >/dev/null

echo "--- Kafka (Maven Central) and MinIO (Go)"
bash testbed/prepare.sh

echo "--- kubeconform, kube-score and the Kubernetes schemas (Go)"
bash testbed/k8s-tools.sh >/dev/null

echo "--- Kubernetes control plane, etcd and kwok (Go; 10 to 20 minutes the first time)"
bash testbed/kubernetes-build.sh >/dev/null
