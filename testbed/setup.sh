#!/usr/bin/env bash
# Installs and builds everything the tests use, once per machine (cached in ~/.cache/wolke):
# Debian packages, npm packages, the Go-built Terraform providers and test components, Kafka from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

packages=(ca-certificates git)
missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "--- Debian packages: ${missing[*]}"
  ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo )} apt-get update -qq
  ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo )} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "--- npm packages"
npm ci --no-audit --no-fund

echo "--- Terraform and its providers"
bash testbed/providers.sh >/dev/null

echo "--- checkov (PyPI)"
bash testbed/checkov.sh >/dev/null
