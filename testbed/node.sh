#!/usr/bin/env bash
# Installs the project's Node.js (the release in .nvmrc) from the npm registry into the wolke cache, once, and prints
# its bin directory. Usage: export PATH="$(bash testbed/node.sh):$PATH"
# The registry's node-linux-<arch> packages carry the official release binary and its headers (which node-gyp needs to
# build native addons without downloading anything); npm itself stays the machine's, which runs on any Node it supports.
# The tarballs' integrity is pinned here, so a re-published package is refused instead of installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(tr -d ' \nv' < "$here/../.nvmrc")

# From `npm view node-linux-<arch>@<version> dist.integrity`; a new release in .nvmrc needs its two lines here.
declare -A integrity=(
  [24.22.3-x64]=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
  [24.22.3-arm64]=sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==
)

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "testbed/node.sh: no Node.js package for $(uname -m)" >&2; exit 1 ;;
esac
package=node-linux-$arch
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
dir=$cache/node/v$version-linux-$arch

if [ ! -x "$dir/bin/node" ]; then
  want=${integrity[$version-$arch]:-}
  if [ -z "$want" ]; then
    echo "testbed/node.sh: no pinned integrity for $package@$version; add it from \`npm view $package@$version dist.integrity\`" >&2
    exit 1
  fi
  command -v npm >/dev/null || { echo "testbed/node.sh: needs npm (any version) to fetch $package@$version" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "fetching Node.js $version ($package) from the npm registry into $dir" >&2
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  tarball=$work/$package-$version.tgz
  got=sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)
  if [ "$got" != "$want" ]; then
    echo "testbed/node.sh: $package@$version has integrity $got, pinned $want; refusing it" >&2
    exit 1
  fi
  mkdir "$work/node"
  tar -xzf "$tarball" -C "$work/node" --strip-components=1
  [ "$("$work/node/bin/node" --version)" = "v$version" ] || { echo "testbed/node.sh: $package@$version is not Node $version" >&2; exit 1; }
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir"
  mv "$work/node" "$dir"
fi
echo "$dir/bin"
