#!/usr/bin/env bash
# Builds one e2e tool from Go modules into a cache folder keyed by version and prints the binary's
# absolute path on stdout (build logs go to stderr). A no-op when the binary is already there.
#
#   scripts/tools/ensure-tool.sh <etcd|kube-apiserver|kubectl|helm>
#
# Cache: $HAWSER_TOOLS_DIR (default <repo>/.cache/tools), one folder <name>-<version>/ per tool.
# Parallelism: HAWSER_TOOLS_JOBS (default 2) for both GOMAXPROCS and `go build -p`; builds run
# under `nice` because the machine is shared.
set -euo pipefail

readonly HELM_VERSION=v3.17.4
readonly KUBE_VERSION=v1.32.13   # must match e2e/tools/kube/go.mod
readonly ETCD_VERSION=v3.5.21    # must match e2e/tools/etcd/go.mod
readonly MIN_GO_MINOR=24         # `tool` directives in our go.mod files need Go 1.24

die() { echo "ensure-tool: $*" >&2; exit 1; }
log() { echo "ensure-tool: $*" >&2; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools_dir=${HAWSER_TOOLS_DIR:-$repo_root/.cache/tools}
jobs=${HAWSER_TOOLS_JOBS:-2}

usage() { die "usage: ensure-tool.sh <etcd|kube-apiserver|kubectl|helm>"; }
[ $# -eq 1 ] || usage
name=$1
case $name in
  helm) version=$HELM_VERSION ;;
  kube-apiserver|kubectl) version=$KUBE_VERSION ;;
  etcd) version=$ETCD_VERSION ;;
  *) usage ;;
esac

dest_dir=$tools_dir/$name-$version
binary=$dest_dir/$name
if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

require_go() {
  command -v go >/dev/null 2>&1 ||
    die "Go is not installed (need Go >= 1.$MIN_GO_MINOR with access to the Go module proxy). Debian's golang-go is too old; install Go from https://go.dev/dl/ and put it on PATH."
  local v minor
  v=$(go env GOVERSION)
  minor=$(echo "$v" | sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p')
  [ -n "$minor" ] && [ "$minor" -ge "$MIN_GO_MINOR" ] ||
    die "Go $v is too old: need Go >= 1.$MIN_GO_MINOR."
}

# The k8s version stamp: without it the binaries report v0.0.0-master and helm cannot check a
# chart's kubeVersion against the server (see docs/e2e.md).
kube_ldflags() {
  local v=$1 major minor flags="-s -w" p
  major=$(echo "$v" | sed 's/^v\([0-9]*\)\..*/\1/')
  minor=$(echo "$v" | sed 's/^v[0-9]*\.\([0-9]*\)\..*/\1/')
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor"
    flags+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

helm_ldflags() {
  local p=helm.sh/helm/v3
  # helm 3.17 links client-go v0.32, so its offline default Kubernetes version is 1.32.
  echo "-s -w -X $p/internal/version.version=$HELM_VERSION -X $p/internal/version.metadata= -X $p/internal/version.gitTreeState=clean" \
    "-X $p/pkg/chartutil.k8sVersionMajor=1 -X $p/pkg/chartutil.k8sVersionMinor=32" \
    "-X $p/pkg/lint/rules.k8sVersionMajor=1 -X $p/pkg/lint/rules.k8sVersionMinor=32"
}

# Builds into a fresh staging folder, then renames it into place, so an interrupted build never
# leaves a half-written binary that a later run would take for a finished one.
build() {
  local stage=$1
  export CGO_ENABLED=0 GOMAXPROCS=$jobs GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
  case $name in
    helm)
      GOBIN=$stage nice -n 10 go install -p "$jobs" -trimpath -ldflags "$(helm_ldflags)" \
        "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" ;;
    kube-apiserver|kubectl)
      (cd "$repo_root/e2e/tools/kube" &&
        nice -n 10 go build -p "$jobs" -trimpath -ldflags "$(kube_ldflags "$KUBE_VERSION")" \
          -o "$stage/$name" "k8s.io/kubernetes/cmd/$name") ;;
    etcd)
      (cd "$repo_root/e2e/tools/etcd" &&
        nice -n 10 go build -p "$jobs" -trimpath -ldflags "-s -w" -o "$stage/etcd" go.etcd.io/etcd/server/v3) ;;
  esac
  [ -x "$stage/$name" ] || die "the build of $name $version produced no binary in $stage"
}

require_go
mkdir -p "$tools_dir"
# One build per tool at a time: a second caller waits, then finds the binary.
exec 9>"$tools_dir/.$name-$version.lock"
flock 9
if [ ! -x "$binary" ]; then
  stage=$(mktemp -d "$tools_dir/.$name-$version.XXXXXX")
  trap 'rm -rf "$stage"' EXIT
  log "building $name $version (a cold build takes minutes; logs follow)"
  start=$SECONDS
  build "$stage"
  chmod 755 "$stage"
  rm -rf "$dest_dir"
  mv "$stage" "$dest_dir"
  trap - EXIT
  log "built $name $version in $((SECONDS - start)) s: $binary"
fi
echo "$binary"
