#!/usr/bin/env bash
# `make dist`: every installer this machine can build, into dist/:
#   scripts/dist-linux.sh    the .deb and .rpm (nfpm) of the desktop app and of
#                            the server, and the server binary
#   scripts/dist-windows.sh  the signed MSI (wixl) and NSIS installer
# The version is the VERSION file's, stamped into every binary and installer.
# macOS builds run on a macOS runner (.github/workflows/macos.yml).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cat VERSION)
mkdir -p dist
scripts/dist-linux.sh "$version"
scripts/dist-windows.sh "$version"
ls -l dist
