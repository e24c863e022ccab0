#!/usr/bin/env bash
# The Windows app and its NSIS installer, cross-built here.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
echo "==> cross-building the Windows app and its NSIS installer"
go tool wails build -s -skipbindings -m -nosyncgomod -platform windows/amd64 -nsis \
  -ldflags "-X switchboard/internal/buildinfo.Version=$version" >/dev/null
installer=build/bin/switchboard-amd64-installer.exe
# wails only warns when makensis is missing: check that the installer exists.
[[ -s $installer ]] || { echo "no installer at $installer (is nsis installed?)"; exit 1; }
cp "$installer" "dist/switchboard-$version-windows-amd64-setup.exe"
cp build/bin/switchboard.exe "dist/switchboard-$version-windows-amd64.exe"
