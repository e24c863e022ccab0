#!/usr/bin/env bash
# The Linux packages of the desktop app and the server binary, into dist/:
#   dist/switchboard_${version}-1_amd64.deb        Debian, Ubuntu
#   dist/switchboard-${version}-1.x86_64.rpm       Fedora, RHEL, openSUSE
#   dist/switchboard-server-${version}-linux-amd64 the server (static)
# Both packages come from one nfpm definition, build/linux/nfpm.yaml, and hold
# build/bin/switchboard (make desktop), its desktop entry, the icon in the
# hicolor theme and the example IT policy.
# Usage: scripts/dist-linux.sh [VERSION [all|packages|server]]: VERSION is the
# VERSION file's when omitted; "packages" builds only the .deb and the .rpm.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-$(cat VERSION)}
what=${2:-all}
case $what in all | packages | server) ;; *) echo "usage: $0 [VERSION [all|packages|server]]" >&2; exit 2 ;; esac
mkdir -p dist

if [[ $what != packages ]]; then
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X switchboard/internal/buildinfo.Version=$version" \
    -o "dist/switchboard-server-$version-linux-amd64" ./backend/cmd/switchboard-server
  [[ $what == server ]] && exit 0
fi

[[ -x build/bin/switchboard ]] || { echo "build/bin/switchboard is missing: run make desktop" >&2; exit 1; }

icons=$(mktemp -d)
trap 'rm -rf "$icons"' EXIT
for size in 48 64 128 256 512; do
  mkdir -p "$icons/$size"
  convert build/appicon.png -resize "${size}x${size}" -strip "$icons/$size/switchboard.png"
done

for packager in deb rpm; do
  case $packager in
    deb) target="dist/switchboard_${version}-1_amd64.deb" ;;
    rpm) target="dist/switchboard-${version}-1.x86_64.rpm" ;;
  esac
  rm -f "$target"
  SWITCHBOARD_VERSION=$version SWITCHBOARD_ICON_DIR=$icons \
    go tool nfpm package --config build/linux/nfpm.yaml --packager "$packager" --target "$target" >/dev/null
  echo "==> $target"
done
