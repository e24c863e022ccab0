#!/usr/bin/env bash
# `make dist`: the Linux desktop binary and the Windows NSIS installer, both
# built on this machine, copied to dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cat VERSION)
mkdir -p dist
cp build/bin/switchboard "dist/switchboard-$version-linux-amd64"
echo "==> cross-building the Windows app and its NSIS installer"
go tool wails build -s -skipbindings -m -nosyncgomod -platform windows/amd64 -nsis \
  -ldflags "-X switchboard/internal/buildinfo.Version=$version" >/dev/null
installer=build/bin/switchboard-amd64-installer.exe
# wails only warns when makensis is missing: check that the installer exists.
[[ -s $installer ]] || { echo "no installer at $installer (is nsis installed?)"; exit 1; }
cp "$installer" "dist/switchboard-$version-windows-amd64-setup.exe"
cp build/bin/switchboard.exe "dist/switchboard-$version-windows-amd64.exe"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X switchboard/internal/buildinfo.Version=$version" \
  -o "dist/switchboard-server-$version-linux-amd64" ./backend/cmd/switchboard-server
ls -l dist
