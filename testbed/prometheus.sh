#!/usr/bin/env bash
# Builds promtool and prometheus of one Prometheus release from the Go module proxy into the wolke cache, once;
# prints PROMTOOL= and PROMETHEUS= lines for the tests.
# Usage: prometheus.sh   (the release is pinned below; Prometheus 3.x is tagged v0.3xx.y as a Go module)
set -euo pipefail
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
# Prometheus 3.16.0 (its VERSION file); the module's tag is v0.<major><minor>.<patch>.
module_version=v0.316.0
release=3.16.0

dir=$cache/prometheus/$release
if [ ! -x "$dir/promtool" ] || [ ! -x "$dir/prometheus" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$dir"
  # A throwaway module that requires the pinned version: no version list is asked of the proxy, no replace applies.
  cat > "$work/go.mod" <<MOD
module wolke.local/prometheus

go 1.26

require github.com/prometheus/prometheus $module_version
MOD
  printf '//go:build tools\npackage tools\n\nimport (\n\t_ "github.com/prometheus/prometheus/cmd/promtool"\n\t_ "github.com/prometheus/prometheus/cmd/prometheus"\n)\n' > "$work/tools.go"
  cd "$work"
  # The checksum database is not reachable here; the module proxy is the only source.
  export GOSUMDB=off GOFLAGS=-mod=mod
  echo "building promtool and prometheus $release" >&2
  go mod tidy >/dev/null 2>&1 || go mod download
  # One build for both commands shares their compilation; the version shows in `--version` and build_info.
  # remove_all_sd leaves out the cloud service discoveries (AWS, Azure, GCE, Kubernetes…; the tests scrape static
  # targets), about a sixth of the packages to compile; -s -w drop the symbol and DWARF tables, which slow the link.
  version_pkg=github.com/prometheus/common/version
  go build -trimpath -tags remove_all_sd -o "$work/bin/" \
    -ldflags "-s -w -X $version_pkg.Version=$release -X $version_pkg.Revision=$module_version -X $version_pkg.Branch=HEAD" \
    github.com/prometheus/prometheus/cmd/promtool github.com/prometheus/prometheus/cmd/prometheus
  mv "$work/bin/promtool" "$work/bin/prometheus" "$dir/"
fi

echo "PROMTOOL=$dir/promtool"
echo "PROMETHEUS=$dir/prometheus"
