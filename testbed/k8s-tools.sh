#!/usr/bin/env bash
# Builds kubeconform and kube-score and writes strict JSON schemas of a Kubernetes release (plus Traefik's and Argo CD's CRDs)
# into the wolke cache, once; prints KUBECONFORM=, KUBE_SCORE=, SCHEMAS= and ARGOCD_CRDS= (the CRD folder, for the
# Kubernetes test bed) lines for the tests.
# Usage: k8s-tools.sh [KUBERNETES_VERSION]   (default v1.31.4, the release k3s v1.31.4+k3s1 ships)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${WOLKE_CACHE:-$HOME/.cache/wolke}
kubernetes_version=${1:-v1.31.4}
kubeconform_version=v0.7.0
kube_score_version=v1.20.0
# k3s v1.31 bundles Traefik v2.11 (its chart 27.x); its CRD definitions ship inside the Go module.
traefik_version=v2.11.10
# The Argo CD release whose Application and AppProject CRDs the GitOps objects are checked against (v3.6 needs Go 1.27).
argocd_version=v3.5.7

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

schemas=$cache/k8s-schemas/kubernetes-$kubernetes_version-traefik-$traefik_version-argocd-$argocd_version
if [ ! -f "$schemas/.complete" ]; then
  echo "writing schemas for Kubernetes $kubernetes_version, Traefik $traefik_version and Argo CD $argocd_version" >&2
  kubernetes_dir=$(module_dir k8s.io/kubernetes "$kubernetes_version")
  traefik_dir=$(module_dir github.com/traefik/traefik/v2 "$traefik_version")
  argocd_dir=$(module_dir github.com/argoproj/argo-cd/v3 "$argocd_version")
  [ -n "$kubernetes_dir" ] && [ -n "$traefik_dir" ] && [ -n "$argocd_dir" ] || { echo "module download failed" >&2; exit 1; }
  rm -rf "$schemas.tmp"
  (cd "$here/.." && npx --no-install tsx testbed/k8s-schemas.ts \
    "$kubernetes_dir/api/openapi-spec/swagger.json" "$schemas.tmp" \
    "$traefik_dir/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" \
    "$argocd_dir/manifests/crds/application-crd.yaml" "$argocd_dir/manifests/crds/appproject-crd.yaml")
  touch "$schemas.tmp/.complete"
  rm -rf "$schemas"
  mv "$schemas.tmp" "$schemas"
fi

echo "KUBECONFORM=$kubeconform"
echo "KUBE_SCORE=$kube_score"
echo "SCHEMAS=$schemas"
echo "ARGOCD_CRDS=$(module_dir github.com/argoproj/argo-cd/v3 "$argocd_version")/manifests/crds"
