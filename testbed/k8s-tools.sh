#!/usr/bin/env bash
# Builds kubeconform and kube-score and writes strict JSON schemas of a Kubernetes release (plus Traefik's CRDs)
# into the wolke cache, once; prints KUBECONFORM=, KUBE_SCORE= and SCHEMAS= lines for the tests.
# Usage: k8s-tools.sh [K3S_OR_KUBERNETES_VERSION]   (default: what the example environment's k3s release ships)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
# The model names the k3s release; testbed/kubernetes-release.ts names the Kubernetes and Traefik it ships.
release=$(cd "$here/.." && npx --no-install tsx testbed/kubernetes-release.ts ${1:+"$1"})
kubernetes_version=$(sed -n 's/^KUBERNETES_VERSION=//p' <<<"$release")
traefik_version=$(sed -n 's/^TRAEFIK_VERSION=//p' <<<"$release")
kubeconform_version=v0.7.0
kube_score_version=v1.20.0

kubeconform=$cache/bin/kubeconform-$kubeconform_version
kube_score=$cache/bin/kube-score-$kube_score_version
bash "$here/go-build.sh" "$kubeconform" github.com/yannh/kubeconform "$kubeconform_version" github.com/yannh/kubeconform/cmd/kubeconform
bash "$here/go-build.sh" "$kube_score" github.com/zegl/kube-score "$kube_score_version" github.com/zegl/kube-score/cmd/kube-score

# Prints the directory of a Go module version, downloading it from the module proxy into the Go module cache.
module_dir() {
  local work
  work=$(mktemp -d)
  printf 'module wolke.local/schemas\n\ngo 1.24\n' > "$work/go.mod"
  (cd "$work" && GOSUMDB=off GOFLAGS=-mod=mod go mod download -json "$1@$2") | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
  rm -rf "$work"
}

schemas=$cache/k8s-schemas/kubernetes-$kubernetes_version-traefik-$traefik_version
if [ ! -f "$schemas/.complete" ]; then
  echo "writing schemas for Kubernetes $kubernetes_version and Traefik $traefik_version" >&2
  kubernetes_dir=$(module_dir k8s.io/kubernetes "$kubernetes_version")
  # Traefik's CRD definitions ship inside its Go module, whose path names the major release.
  traefik_dir=$(module_dir "github.com/traefik/traefik/${traefik_version%%.*}" "$traefik_version")
  [ -n "$kubernetes_dir" ] && [ -n "$traefik_dir" ] || { echo "module download failed" >&2; exit 1; }
  rm -rf "$schemas.tmp"
  (cd "$here/.." && npx --no-install tsx testbed/k8s-schemas.ts \
    "$kubernetes_dir/api/openapi-spec/swagger.json" "$schemas.tmp" \
    "$traefik_dir/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml")
  touch "$schemas.tmp/.complete"
  rm -rf "$schemas"
  mv "$schemas.tmp" "$schemas"
fi

echo "KUBECONFORM=$kubeconform"
echo "KUBE_SCORE=$kube_score"
echo "SCHEMAS=$schemas"
