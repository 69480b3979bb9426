#!/usr/bin/env bash
# Builds a Kubernetes control plane (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl), etcd and kwok
# from the Go module proxy into the wolke cache, once; prints KUBERNETES_VERSION=, KUBERNETES_BIN=, ETCD=, KWOK=,
# KWOK_STAGES= and TRAEFIK_CRDS= lines (the last two are files in the Go module cache).
# Usage: kubernetes-build.sh [K3S_OR_KUBERNETES_VERSION]   (default: what the example environment's k3s release ships)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
# The model names the k3s release; testbed/kubernetes-release.ts names the Kubernetes, Traefik and etcd it ships.
release=$(cd "$here/.." && npx --no-install tsx testbed/kubernetes-release.ts ${1:+"$1"})
value() { sed -n "s/^$1=//p" <<<"$release"; }
kubernetes_version=$(value KUBERNETES_VERSION)
[[ $kubernetes_version =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "not a Kubernetes release: '$kubernetes_version'" >&2; exit 2; }
minor=${BASH_REMATCH[1]}
# The staging modules (k8s.io/api, client-go, …) are tagged v0.<minor>.<patch> for Kubernetes v1.<minor>.<patch>.
staging_version=v0.${kubernetes_version#v1.}
etcd_version=$(value ETCD_VERSION)
# kwok is no part of k3s: the release whose own Kubernetes modules are of the same line.
kwok_version=v0.8.0
# k3s installs Traefik's CRDs before anything else: those of the Traefik release it bundles.
traefik_version=$(value TRAEFIK_VERSION)
traefik_crds_sha256=$(value TRAEFIK_CRDS_SHA256)

# The checksum database is not reachable here; the module proxy is the only source. Go 1.26 builds all of these
# unpatched, so no other toolchain is fetched.
export GOSUMDB=off GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local

kubernetes_bin=$cache/kubernetes/$kubernetes_version/bin
etcd=$cache/etcd/$etcd_version/etcd
kwok=$cache/kwok/$kwok_version/kwok
commands=(kube-apiserver kube-controller-manager kube-scheduler kubectl)

# Prints the directory of a Go module version, downloading it from the module proxy into the Go module cache.
module_dir() {
  local work dir
  work=$(mktemp -d)
  printf 'module wolke.local/download\n\ngo 1.24\n' > "$work/go.mod"
  dir=$(cd "$work" && go mod download -json "$1@$2" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  rm -rf "$work"
  [ -n "$dir" ] && [ -d "$dir" ] || { echo "could not download $1@$2" >&2; return 1; }
  echo "$dir"
}

build_kubernetes() {
  local missing=0 c
  for c in "${commands[@]}"; do [ -x "$kubernetes_bin/$c" ] || missing=1; done
  [ $missing = 0 ] && return 0
  local source replaces go_line
  source=$(module_dir k8s.io/kubernetes "$kubernetes_version")
  # k8s.io/kubernetes points its staging modules at ./staging; a module that requires it must name their releases.
  replaces=$(sed -n 's#^\t\(k8s\.io/[a-z0-9-]*\) => \./staging/.*$#replace \1 => \1 '"$staging_version"'#p' "$source/go.mod")
  [ -n "$replaces" ] || { echo "no staging replaces found in $source/go.mod" >&2; return 1; }
  go_line=$(grep -m1 '^go ' "$source/go.mod")
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  printf 'module wolke.local/kubernetes\n\n%s\n\nrequire k8s.io/kubernetes %s\n\n%s\n' \
    "$go_line" "$kubernetes_version" "$replaces" > "$work/go.mod"
  local x="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    # Without these the server reports v0.0.0-master, and kubectl warns about the version skew.
    x+=" -X $pkg.gitVersion=$kubernetes_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  echo "building Kubernetes $kubernetes_version (${commands[*]}); 10 to 20 minutes of two cores from empty caches" >&2
  local started=$SECONDS
  # One invocation for all four: they share most packages, so each is compiled once.
  (cd "$work" && go build -trimpath -ldflags "-s -w$x" -o "$work/bin/" \
    $(printf 'k8s.io/kubernetes/cmd/%s ' "${commands[@]}"))
  mkdir -p "$(dirname "$kubernetes_bin")"
  rm -rf "$kubernetes_bin"
  mv "$work/bin" "$kubernetes_bin"
  echo "built Kubernetes $kubernetes_version in $((SECONDS - started)) s" >&2
}

build_kubernetes
started=$SECONDS
[ -x "$etcd" ] || { bash "$here/go-build.sh" "$etcd" go.etcd.io/etcd/server/v3 "$etcd_version"; echo "built etcd in $((SECONDS - started)) s" >&2; }
started=$SECONDS
[ -x "$kwok" ] || { bash "$here/go-build.sh" "$kwok" sigs.k8s.io/kwok "$kwok_version" sigs.k8s.io/kwok/cmd/kwok; echo "built kwok in $((SECONDS - started)) s" >&2; }
# kwok's stages (node heartbeat, fast pod lifecycle) are read from its module, not copied into the repository.
kwok_stages=$(module_dir sigs.k8s.io/kwok "$kwok_version")/kustomize/stage
[ -d "$kwok_stages" ] || { echo "no stage directory in the kwok module: $kwok_stages" >&2; exit 1; }

# Traefik's Go module carries its CRD definitions; the module path names the major release (github.com/traefik/traefik/v3).
traefik_crds=$(module_dir "github.com/traefik/traefik/${traefik_version%%.*}" "$traefik_version")/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml
[ -f "$traefik_crds" ] || { echo "no CRD definitions in the Traefik module: $traefik_crds" >&2; exit 1; }
# The deploy role downloads the same file by this checksum: a wrong one in config/k3s-components.ts stops here.
echo "$traefik_crds_sha256  $traefik_crds" | sha256sum --check --quiet >&2 || { echo "Traefik $traefik_version's CRDs do not match config/k3s-components.ts" >&2; exit 1; }

echo "KUBERNETES_VERSION=$kubernetes_version"
echo "KUBERNETES_BIN=$kubernetes_bin"
echo "ETCD=$etcd"
echo "KWOK=$kwok"
echo "KWOK_STAGES=$kwok_stages"
echo "TRAEFIK_CRDS=$traefik_crds"
