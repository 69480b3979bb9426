#!/usr/bin/env bash
# Regenerates the provider bindings in .gen/ with `cdktf get`, offline, from the provider mirror that providers.sh
# builds, for only the resources and data sources the code imports (testbed/provider-bindings.ts). Run after changing
# the provider version in cdktf.json or importing another binding. `--check` generates into a scratch folder and
# fails when .gen/ differs from what it would write.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
check=false
case "${1:-}" in
  --check) check=true ;;
  '') ;;
  *) echo "usage: bash testbed/generate-bindings.sh [--check]" >&2; exit 2 ;;
esac

TF_CLI_CONFIG_FILE=$(bash testbed/providers.sh)
if ! command -v terraform >/dev/null 2>&1; then PATH=${WOLKE_CACHE:-$HOME/.cache/wolke}/bin:$PATH; fi
WOLKE_BINDING_TYPES=$(node_modules/.bin/tsx testbed/provider-bindings.ts)
export TF_CLI_CONFIG_FILE PATH WOLKE_BINDING_TYPES CHECKPOINT_DISABLE=1 CDKTF_DISABLE_PLUGIN_CACHE_ENV=1
export TERRAFORM_BINARY_NAME=$root/testbed/terraform-trimmed-schema.sh

# cdktf get leaves bindings of types it no longer generates in place: generate into a scratch project, then swap.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp cdktf.json package.json "$scratch/"
ln -s "$root/node_modules" "$scratch/node_modules"
(cd "$scratch" && npx cdktf get --force >&2)

if $check; then
  if ! diff -r --brief "$scratch/.gen" .gen >&2; then
    echo ".gen/ is not what \`npm run get\` generates from the provider in cdktf.json for the bindings the code imports: run \`npm run get\`" >&2
    exit 1
  fi
else
  rm -rf .gen
  mv "$scratch/.gen" .gen
fi
