#!/usr/bin/env bash
# The Linux packages of the desktop app and the server binary (placeholder
# until the nfpm packaging lands).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
cp build/bin/switchboard "dist/switchboard-$version-linux-amd64"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X switchboard/internal/buildinfo.Version=$version" \
  -o "dist/switchboard-server-$version-linux-amd64" ./backend/cmd/switchboard-server
