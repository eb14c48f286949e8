#!/usr/bin/env bash
# npm run bench:proxy — Hawser's data plane beside HAProxy, nginx and the Node peers, in one run of
# the shared proxy-peers harness (its README explains the method and how to read µs/req).
#
# Knobs (all optional): BODY_SIZE (64), REPS (3), DURATION (10), PEERS (the harness's default list),
# WORKERS (1: Hawser's worker threads), PEER_CPUS (unset: Hawser runs on the harness's PROXY_CPU
# like every peer; "0-1": Hawser alone re-pins itself to both cores, for WORKERS=2 — the harness
# itself measures one core only), PEERS_SRC (where the harness is), OUT
# (bench/results/proxy-<time>-w<workers>-<size>B). Everything else goes to the harness as is.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NODE26="$ROOT/node_modules/.bin/node"
[ -x "$NODE26" ] || { echo "run 'npm ci' in $ROOT first" >&2; exit 2; }

# The harness: ../shared/bench/proxy-peers beside the checkout (CI), else PEERS_SRC.
SRC=${PEERS_SRC:-}
for cand in "$ROOT/../shared/bench/proxy-peers" "$ROOT/../../shared/bench/proxy-peers" /work/shared/bench/proxy-peers; do
  [ -n "$SRC" ] && break
  [ -x "$cand/run.sh" ] && SRC=$(cd "$cand" && pwd)
done
[ -n "$SRC" ] || { echo "proxy-peers harness not found; set PEERS_SRC" >&2; exit 2; }

# The shared folder is read-only input: run a private copy that holds its node_modules.
WORK="$ROOT/.cache/proxy-peers"
if [ ! -d "$WORK/node_modules" ] || ! cmp -s "$SRC/run.sh" "$WORK/run.sh"; then
  rm -rf "$WORK"
  mkdir -p "$WORK"
  cp -r "$SRC/." "$WORK/"
  rm -rf "$WORK/results"
  chmod -R u+w "$WORK"
  (cd "$WORK" && npm ci --no-audit --no-fund --silent)
fi

missing=()
for tool in wrk haproxy nginx curl taskset; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: wrk haproxy nginx curl util-linux" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk haproxy nginx curl util-linux >/dev/null
fi

BODY_SIZE=${BODY_SIZE:-64}
WORKERS=${WORKERS:-1}
export BODY_SIZE
export OUT=${OUT:-$ROOT/bench/results/proxy-$(date -u +%Y%m%dT%H%M%SZ)-w${WORKERS}-${BODY_SIZE}B}
PIN=""
[ -n "${PEER_CPUS:-}" ] && PIN="taskset -c $PEER_CPUS "
export EXTRA_PEER="$PIN$NODE26 $ROOT/bench/proxy/hawser-peer.ts --port {PORT} --upstream {UPSTREAM_URL} --workers $WORKERS"
export EXTRA_PEER_NAME=${EXTRA_PEER_NAME:-hawser-w$WORKERS}
export EXTRA_PEER_PORT=${EXTRA_PEER_PORT:-28990}
# Away from the harness defaults, so another run on the machine does not collide.
export BASE_PORT=${BASE_PORT:-28080} UPSTREAM_PORT=${UPSTREAM_PORT:-29000}
mkdir -p "$OUT"
echo "harness: $SRC (copy in $WORK); results: $OUT" >&2
exec "$WORK/run.sh"
