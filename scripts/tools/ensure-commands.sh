#!/usr/bin/env bash
# Makes sure the host commands the e2e suite needs exist, installing their Debian packages when
# they are missing and we are root; otherwise fails with what to install. Never skips silently.
#
#   scripts/tools/ensure-commands.sh openssl=openssl ip=iproute2 ...   (<command>=<debian package>)
set -euo pipefail

die() { echo "ensure-commands: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: ensure-commands.sh <command>=<debian-package> ..."

missing_pkgs=()
missing_cmds=()
for pair in "$@"; do
  cmd=${pair%%=*}
  pkg=${pair#*=}
  [ -n "$cmd" ] && [ -n "$pkg" ] && [ "$cmd" != "$pair" ] || die "bad argument '$pair' (want <command>=<debian-package>)"
  if ! command -v "$cmd" >/dev/null 2>&1; then
    missing_cmds+=("$cmd")
    missing_pkgs+=("$pkg")
  fi
done
[ ${#missing_cmds[@]} -eq 0 ] && exit 0

if [ "$EUID" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  die "missing command(s): ${missing_cmds[*]}. Install the package(s) ${missing_pkgs[*]} (Debian: sudo apt-get install -y ${missing_pkgs[*]}) and run again."
fi
echo "ensure-commands: installing ${missing_pkgs[*]} for ${missing_cmds[*]}" >&2
apt-get update >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing_pkgs[@]}" >&2
for cmd in "${missing_cmds[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || die "installed ${missing_pkgs[*]} but '$cmd' is still missing"
done
