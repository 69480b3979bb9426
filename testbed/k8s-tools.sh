#!/usr/bin/env bash
# Builds kubeconform and kube-score and writes strict JSON schemas of a Kubernetes release (plus the CRDs of Traefik,
# the Prometheus operator, k3s's helm controller and Argo CD) into the wolke cache, once; prints KUBECONFORM=,
# KUBE_SCORE=, SCHEMAS=, ARGOCD_CRDS=, PROMETHEUS_OPERATOR_CRDS= (CRD folders) and HELM_CONTROLLER_CRDS= (a CRD file)
# lines for the tests; the Kubernetes test bed applies those CRDs where a cluster would have them installed.
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
# The Argo CD release whose Application and AppProject CRDs the GitOps objects are checked against (v3.6 needs Go 1.27).
argocd_version=v3.5.7
# The Prometheus operator's CRDs (PodMonitor, ServiceMonitor, PrometheusRule, AlertmanagerConfig) ship in its Go module; v0.94.0 is the
# newest release the module proxy serves whole (kube-prometheus-stack 91.x runs v0.9x; these kinds are v1 and stable).
prometheus_operator_version=v0.94.0
# k3s's helm controller (HelmChart, helm.cattle.io/v1, unchanged across k3s lines); it builds its CRDs from Go types,
# so a small program prints them.
helm_controller_version=v0.16.5

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

# The operator's kinds wolke's manifests use; the schema folder's name lists them, so a new one writes it afresh.
operator_kinds=(podmonitors servicemonitors prometheusrules alertmanagerconfigs)

# k3s's HelmChart CRDs, printed by a small program from helm-controller's Go types (k3s installs them in every cluster).
helm_crds=$cache/k8s-schemas/helm-controller-$helm_controller_version-crds.yaml
if [ ! -s "$helm_crds" ]; then
  helm_work=$(mktemp -d)
  cp "$here/helm-controller-crds/main.go" "$helm_work/"
  printf 'module wolke.local/helm-controller-crds\n\ngo 1.24\n\nrequire github.com/k3s-io/helm-controller %s\n' "$helm_controller_version" > "$helm_work/go.mod"
  mkdir -p "$(dirname "$helm_crds")"
  (cd "$helm_work" && export GOSUMDB=off GOFLAGS=-mod=mod && { go mod tidy >/dev/null 2>&1 || go mod download; } && go run . > crds.yaml)
  mv "$helm_work/crds.yaml" "$helm_crds"
  rm -rf "$helm_work"
fi

schemas=$cache/k8s-schemas/kubernetes-$kubernetes_version-traefik-$traefik_version-prometheus-operator-$prometheus_operator_version-$(IFS=-; echo "${operator_kinds[*]}")-helm-controller-$helm_controller_version-argocd-$argocd_version
if [ ! -f "$schemas/.complete" ]; then
  echo "writing schemas for Kubernetes $kubernetes_version, Traefik $traefik_version, the Prometheus operator $prometheus_operator_version, the helm controller $helm_controller_version and Argo CD $argocd_version" >&2
  kubernetes_dir=$(module_dir k8s.io/kubernetes "$kubernetes_version")
  # Traefik's CRD definitions ship inside its Go module, whose path names the major release.
  traefik_dir=$(module_dir "github.com/traefik/traefik/${traefik_version%%.*}" "$traefik_version")
  operator_dir=$(module_dir github.com/prometheus-operator/prometheus-operator "$prometheus_operator_version")
  argocd_dir=$(module_dir github.com/argoproj/argo-cd/v3 "$argocd_version")
  [ -n "$kubernetes_dir" ] && [ -n "$traefik_dir" ] && [ -n "$operator_dir" ] && [ -n "$argocd_dir" ] || { echo "module download failed" >&2; exit 1; }
  rm -rf "$schemas.tmp"
  (cd "$here/.." && npx --no-install tsx testbed/k8s-schemas.ts \
    "$kubernetes_dir/api/openapi-spec/swagger.json" "$schemas.tmp" \
    "$traefik_dir/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" \
    "$argocd_dir/manifests/crds/application-crd.yaml" "$argocd_dir/manifests/crds/appproject-crd.yaml" \
    $(printf "$operator_dir/example/prometheus-operator-crd/monitoring.coreos.com_%s.yaml " "${operator_kinds[@]}") \
    "$helm_crds")
  touch "$schemas.tmp/.complete"
  rm -rf "$schemas"
  mv "$schemas.tmp" "$schemas"
fi

echo "KUBECONFORM=$kubeconform"
echo "KUBE_SCORE=$kube_score"
echo "SCHEMAS=$schemas"
echo "ARGOCD_CRDS=$(module_dir github.com/argoproj/argo-cd/v3 "$argocd_version")/manifests/crds"
echo "PROMETHEUS_OPERATOR_CRDS=$(module_dir github.com/prometheus-operator/prometheus-operator "$prometheus_operator_version")/example/prometheus-operator-crd"
echo "HELM_CONTROLLER_CRDS=$helm_crds"
