#!/usr/bin/env bash
# Terraform as `cdktf get` sees it (its TERRAFORM_BINARY_NAME): `providers schema -json` answers with only the types
# in WOLKE_BINDING_TYPES; every other command is Terraform's own.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = providers ] && [ "${2:-}" = schema ]; then
  terraform "$@" | "$here/../node_modules/.bin/tsx" "$here/trim-provider-schema.ts"
else
  exec terraform "$@"
fi
