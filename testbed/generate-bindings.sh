#!/usr/bin/env bash
# Regenerates the OpenStack provider bindings in .gen/ with `cdktf get`, offline, from the provider
# mirror that providers.sh builds. Run after changing the provider version in cdktf.json.
set -euo pipefail
cd "$(dirname "$0")/.."
TF_CLI_CONFIG_FILE=$(bash testbed/providers.sh)
export TF_CLI_CONFIG_FILE CHECKPOINT_DISABLE=1 CDKTF_DISABLE_PLUGIN_CACHE_ENV=1
npx cdktf get --force
