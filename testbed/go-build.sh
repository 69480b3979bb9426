#!/usr/bin/env bash
# Builds one Go program from a pinned module version into the wolke cache, once.
# Usage: go-build.sh OUTPUT MODULE VERSION [PACKAGE]
# A throwaway module requires the pinned version, so `go build` never asks the proxy for version
# lists (which the module proxy reachable here refuses for some modules) and never applies a replace.
set -euo pipefail
out=$1 module=$2 version=$3 package=${4:-$2}
[ -x "$out" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"
cat > "$work/go.mod" <<MOD
module wolke.local/build

go 1.24

require $module $version
MOD
printf '//go:build tools\npackage tools\n\nimport _ "%s"\n' "$package" > "$work/tools.go"
cd "$work"
# The checksum database is not reachable here; the module proxy is the only source.
export GOSUMDB=off GOFLAGS=-mod=mod
echo "building $package@$version" >&2
go mod tidy >/dev/null 2>&1 || go mod download
# Without symbol and DWARF tables: the test components are never debugged, and linking them is much quicker.
go build -trimpath -ldflags "-s -w" -o "$out.tmp" "$package"
mv "$out.tmp" "$out"
