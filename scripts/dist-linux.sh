#!/usr/bin/env bash
# The Linux packages of the desktop app and of the server, into dist/:
#   dist/switchboard_${version}-1_amd64.deb               desktop app: Debian, Ubuntu
#   dist/switchboard-${version}-1.x86_64.rpm              desktop app: Fedora, RHEL, openSUSE
#   dist/switchboard-server_${version}-1_amd64.deb        server: Debian, Ubuntu
#   dist/switchboard-server-${version}-1.x86_64.rpm       server: Fedora, RHEL, openSUSE
#   dist/switchboard-server-${version}-linux-amd64        server binary (static)
# Each app's .deb and .rpm come from one nfpm definition: build/linux/nfpm.yaml
# holds build/bin/switchboard (make desktop), its desktop entry, the icon in the
# hicolor theme and the example IT policy; build/linux/nfpm-server.yaml holds
# the server binary, its systemd unit, sysusers.d entry and config
# (build/systemd/) and the maintainer scripts of build/linux/server/.
# Usage: scripts/dist-linux.sh [VERSION [all|packages|server]]: VERSION is the
# VERSION file's when omitted; "all" builds every file above; "packages" the
# four .deb and .rpm files only (the server binary they hold is built in a
# temporary directory); "server" the server's three files, without the
# desktop app.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-$(cat VERSION)}
what=${2:-all}
case $what in all | packages | server) ;; *) echo "usage: $0 [VERSION [all|packages|server]]" >&2; exit 2 ;; esac
mkdir -p dist
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# nfpm DEFINITION TARGET PACKAGER: one package, the definition's ${VARS}
# expanded from the environment.
nfpm() {
  rm -f "$2"
  go tool nfpm package --config "$1" --packager "$3" --target "$2" >/dev/null
  echo "==> $2"
}

server=dist/switchboard-server-$version-linux-amd64
[[ $what == packages ]] && server=$tmp/switchboard-server
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X switchboard/internal/buildinfo.Version=$version" \
  -o "$server" ./backend/cmd/switchboard-server
[[ $what == packages ]] || echo "==> $server"
export SWITCHBOARD_VERSION=$version SWITCHBOARD_SERVER_BIN=$server
nfpm build/linux/nfpm-server.yaml "dist/switchboard-server_${version}-1_amd64.deb" deb
nfpm build/linux/nfpm-server.yaml "dist/switchboard-server-${version}-1.x86_64.rpm" rpm
[[ $what == server ]] && exit 0

[[ -x build/bin/switchboard ]] || { echo "build/bin/switchboard is missing: run make desktop" >&2; exit 1; }

icons=$tmp/icons
for size in 48 64 128 256 512; do
  mkdir -p "$icons/$size"
  convert build/appicon.png -resize "${size}x${size}" -strip "$icons/$size/switchboard.png"
done
export SWITCHBOARD_ICON_DIR=$icons
nfpm build/linux/nfpm.yaml "dist/switchboard_${version}-1_amd64.deb" deb
nfpm build/linux/nfpm.yaml "dist/switchboard-${version}-1.x86_64.rpm" rpm
