#!/usr/bin/env bash
# Builds the real Terraform providers with the Go toolchain, lays them out as a filesystem mirror and
# writes a Terraform CLI config that installs providers from that mirror only (no registry access).
# Prints the CLI config path; export it as TF_CLI_CONFIG_FILE. Cached: a second run takes a second.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
bin=$cache/bin
mirror=$cache/providers/mirror
platform=linux_amd64

# name|source address|version recorded in the mirror|module|module version
providers=(
  "openstack|terraform-provider-openstack/openstack|3.4.0|github.com/terraform-provider-openstack/terraform-provider-openstack/v3|v3.4.0"
  # 2.9.0 was released on 2026-05-12; this is the release's commit on the module proxy, which has no tag for v2+.
  "local|hashicorp/local|2.9.0|github.com/terraform-providers/terraform-provider-local|v1.4.1-0.20260513075820-3561e410f9fe"
)

for row in "${providers[@]}"; do
  IFS='|' read -r name source version module modversion <<<"$row"
  built=$bin/terraform-provider-$name-$version
  "$here/go-build.sh" "$built" "$module" "$modversion" >&2
  dir=$mirror/registry.terraform.io/$source/$version/$platform
  mkdir -p "$dir"
  ln -sf "$built" "$dir/terraform-provider-${name}_v$version"
done

if ! command -v terraform >/dev/null 2>&1; then
  "$here/go-build.sh" "$bin/terraform" github.com/hashicorp/terraform v1.11.4 >&2
fi

config=$cache/providers/terraformrc
cat > "$config" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
}
plugin_cache_dir = "$cache/providers/plugin-cache"
RC
mkdir -p "$cache/providers/plugin-cache"
echo "$config"
